package dev.factline.functions.command;

import dev.factline.account.AccountCommand;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.account.WithdrawMoney;
import dev.factline.functions.http.JsonObjectReader;
import dev.factline.functions.http.RouteTable;
import dev.factline.money.Money;
import java.util.Currency;

/**
 * The account commands over HTTP:
 *
 * <pre>
 * POST /accounts                     {"accountId"?, "ownerId", "currency"}          OpenAccount
 * POST /accounts/{id}/deposits       {"amount": {"minorUnits", "currency"}, "reference"?}  DepositMoney
 * POST /accounts/{id}/withdrawals    {"amount": {"minorUnits", "currency"}}         WithdrawMoney
 * </pre>
 */
final class AccountRoutes {

    private AccountRoutes() {
    }

    static void addTo(RouteTable.Builder<CommandRoute> routes, StreamResources<AccountCommand> accounts) {
        routes.add("POST", "/accounts", CommandRoute.withBody(input -> open(input, accounts)))
                .add("POST", "/accounts/{id}/deposits", CommandRoute.withBody(input -> deposit(input, accounts)))
                .add("POST", "/accounts/{id}/withdrawals", CommandRoute.withBody(input -> withdraw(input, accounts)));
    }

    private static BoundCommand<AccountCommand> open(CommandInput input, StreamResources<AccountCommand> accounts) {
        JsonObjectReader body = input.body().allowOnly("accountId", "ownerId", "currency");
        String accountId = Fields.optionalId(body, "accountId");
        String ownerId = Fields.requiredId(body, "ownerId");
        Currency currency = Fields.currency(body, "currency");
        OpenAccount command = body.check(() -> new OpenAccount(ownerId, currency));
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
