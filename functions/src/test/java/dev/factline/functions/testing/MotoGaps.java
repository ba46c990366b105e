package dev.factline.functions.testing;

import dev.factline.emulators.OutsideEndpoints;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The tests that meet one of moto's known gaps (docs/decisions/moto.md), skipped with that gap as
 * the reason when the suites run against moto, and run everywhere else: a failure there is then
 * moto's known difference, named, not a regression, and the test is not lost. Register it on a test
 * class ({@code @ExtendWith(MotoGaps.class)}); it applies to its nested classes too.
 */
public final class MotoGaps implements ExecutionCondition {

    /**
     * What moto 5.2.1 did differently from DynamoDB when the suites ran against it, as far as a test
     * met it (moto.md lists the others: repeated stream sequence numbers, eventVersion 1.0, the
     * 405,000-byte item limit, which no test here has met).
     */
    public enum Gap {
        TRANSACTIONS_NOT_ISOLATED("moto does not isolate TransactWriteItems from other writes: of commits racing for one unique"
                + " value or one version, more than one committed"),
        CANCELLED_TRANSACTION_ORPHANS_STREAM_ITERATORS("moto 5.2.1 rolls a cancelled TransactWriteItems back by putting a copy"
                + " of the table, taken when the transaction began, in its place; the copy has a stream shard of its own, so every shard"
                + " iterator handed out before (the stream triggers' NextShardIterator chains) reads no later record, and the saga and"
                + " the projector stop at the first refused commit (StreamAfterCancelledTransactionIT shows it; docs/decisions/moto.md)");

        private final String why;

        Gap(String why) {
            this.why = why;
        }
    }

    /** Test method names and the gap each meets. */
    private static final Map<String, Gap> KNOWN = Map.of(
            "of_16_streams_racing_for_one_value_exactly_one_commits", Gap.TRANSACTIONS_NOT_ISOLATED,
            "of_16_clients_creating_products_with_one_sku_at_once_exactly_one_gets_it_and_the_others_409_naming_it", Gap.TRANSACTIONS_NOT_ISOLATED,
            "plain_and_inline_commits_racing_for_one_version_commit_once_and_the_others_are_told_to_decide_again", Gap.TRANSACTIONS_NOT_ISOLATED,
            "a_customers_orders_list_converges", Gap.CANCELLED_TRANSACTION_ORPHANS_STREAM_ITERATORS,
            "an_order_its_customer_cancels_gets_its_money_back_whether_the_saga_had_paid_it_or_not", Gap.CANCELLED_TRANSACTION_ORPHANS_STREAM_ITERATORS,
            "an_order_the_account_can_pay_is_paid_by_the_saga_then_ships_and_cannot_be_cancelled", Gap.CANCELLED_TRANSACTION_ORPHANS_STREAM_ITERATORS,
            "an_order_the_account_cannot_pay_is_cancelled_by_the_saga_for_lack_of_funds", Gap.CANCELLED_TRANSACTION_ORPHANS_STREAM_ITERATORS,
            "the_dashboard_converges_to_count_a_new_order", Gap.CANCELLED_TRANSACTION_ORPHANS_STREAM_ITERATORS,
            "an_iterator_from_before_a_cancelled_transaction_reads_the_writes_after_it", Gap.CANCELLED_TRANSACTION_ORPHANS_STREAM_ITERATORS);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<Gap> gap = context.getTestMethod().map(method -> KNOWN.get(method.getName()));
        if (gap.isEmpty()) {
            return ConditionEvaluationResult.enabled("meets no known moto gap");
        }
        boolean onMoto = LocalEmulator.outside().map(OutsideEndpoints::isMoto).orElse(false);
        return onMoto
                ? ConditionEvaluationResult.disabled("known moto gap (docs/decisions/moto.md): " + gap.get().why)
                : ConditionEvaluationResult.enabled("not on moto");
    }
}
