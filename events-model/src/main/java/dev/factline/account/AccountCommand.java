package dev.factline.account;

/**
 * What can be asked of an account. Each command checks its own shape in its constructor (ids,
 * positive amounts, reference length) and names the field it refuses; whether the account can
 * honour it is the {@link AccountDecider}'s call.
 */
public sealed interface AccountCommand
        permits OpenAccount, DepositMoney, WithdrawMoney, DebitForOrder, RefundForOrder, CloseAccount {
}
