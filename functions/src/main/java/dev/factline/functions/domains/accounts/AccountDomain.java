package dev.factline.functions.domains.accounts;

import dev.factline.account.AccountCommand;
import dev.factline.account.AccountStatement;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.account.WithdrawMoney;
import dev.factline.functions.http.JsonObjectReader;
import dev.factline.functions.command.BoundCommand;
import dev.factline.functions.command.CommandInput;
import dev.factline.functions.command.CommandRoute;
import dev.factline.functions.command.Fields;
import dev.factline.functions.command.StreamResources;
import dev.factline.functions.domain.Declarations;
import dev.factline.functions.domain.Domain;
import dev.factline.money.Money;
import java.util.Currency;

/**
 * Accounts (a customer's wallet) as the functions host them:
 *
 * <pre>
 * POST /accounts                     {"accountId"?, "ownerId", "currency", "holderName"?, "holderEmail"?}  OpenAccount
 * POST /accounts/{id}/deposits       {"amount": {"minorUnits", "currency"}, "reference"?}  DepositMoney
 * POST /accounts/{id}/withdrawals    {"amount": {"minorUnits", "currency"}}         WithdrawMoney
 * GET  /accounts/{id}                the account's view
 * GET  /accounts/{id}/statement      its monthly statement
 * GET  /accounts/{id}/events         its history
 * </pre>
 */
public final class AccountDomain implements Domain {

    @Override
    public void declare(Declarations declare) {
        StreamResources<AccountCommand> accounts = declare.aggregate("/accounts", Accounts.TYPE);
        declare.command("/accounts", CommandRoute.withBody(input -> open(input, accounts)))
                .command("/accounts/{id}/deposits", CommandRoute.withBody(input -> deposit(input, accounts)))
                .command("/accounts/{id}/withdrawals", CommandRoute.withBody(input -> withdraw(input, accounts)))
                .view("/accounts/{id}", AccountView.MODEL)
                .view("/accounts/{id}/statement", AccountStatement.MODEL);
    }

    private static BoundCommand<AccountCommand> open(CommandInput input, StreamResources<AccountCommand> accounts) {
        JsonObjectReader body = input.body().allowOnly("accountId", "ownerId", "currency", "holderName", "holderEmail");
        String accountId = Fields.optionalId(body, "accountId");
        String ownerId = Fields.requiredId(body, "ownerId");
        Currency currency = Fields.currency(body, "currency");
        String holderName = body.optionalString("holderName");
        String holderEmail = body.optionalString("holderEmail");
        OpenAccount command = body.check(() -> new OpenAccount(ownerId, currency, holderName, holderEmail));
        return accounts.bind(accountId != null ? accountId : input.newId(), command);
    }

    private static BoundCommand<AccountCommand> deposit(CommandInput input, StreamResources<AccountCommand> accounts) {
        String accountId = input.pathId();
        JsonObjectReader body = input.body().allowOnly("amount", "reference");
        Money amount = Fields.positiveMoney(body, "amount");
        String reference = body.optionalString("reference");
        // The amount was checked above, so the reference is what the command can still refuse.
        return accounts.bind(accountId, body.check("reference", () -> new DepositMoney(amount, reference)));
    }

    private static BoundCommand<AccountCommand> withdraw(CommandInput input, StreamResources<AccountCommand> accounts) {
        String accountId = input.pathId();
        JsonObjectReader body = input.body().allowOnly("amount");
        Money amount = Fields.positiveMoney(body, "amount");
        return accounts.bind(accountId, body.check(() -> new WithdrawMoney(amount)));
    }
}
