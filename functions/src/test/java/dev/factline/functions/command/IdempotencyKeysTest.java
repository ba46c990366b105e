package dev.factline.functions.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.factline.account.DepositMoney;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IdempotencyKeysTest {

    private static final String DEPOSITS = "POST /accounts/{id}/deposits";
    private static final StreamId A_1 = StreamId.of("account", "a-1");
    private static final Money TEN_EUR = new Money(1_000, Money.currency("EUR"));

    /** {@link DepositMoney} as a rename or a move to another package would leave it: the same command in another class. */
    record RenamedDeposit(Money amount, @Nullable String reference) {
    }

    @Test
    void renaming_or_moving_a_command_class_keeps_its_fingerprint_so_a_retry_across_the_release_is_still_a_repeat() {
        assertThat(IdempotencyKeys.fingerprint(DEPOSITS, A_1, new RenamedDeposit(TEN_EUR, "rent")))
                .isEqualTo(IdempotencyKeys.fingerprint(DEPOSITS, A_1, new DepositMoney(TEN_EUR, "rent")));
    }

    @Test
    void a_fingerprint_is_the_sha_256_of_the_route_the_stream_and_the_command_as_json_and_nothing_else() throws Exception {
        byte[] recipe = (DEPOSITS + "\naccount#a-1\n{\"amount\":{\"minorUnits\":1000,\"currency\":\"EUR\"},\"reference\":\"rent\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(IdempotencyKeys.fingerprint(DEPOSITS, A_1, new DepositMoney(TEN_EUR, "rent")))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(recipe)));
    }

    @Test
    void the_route_the_stream_and_the_command_each_tell_requests_apart() {
        DepositMoney rent = new DepositMoney(TEN_EUR, "rent");

        assertThat(Set.of(
                IdempotencyKeys.fingerprint(DEPOSITS, A_1, rent),
                IdempotencyKeys.fingerprint("POST /accounts/{id}/withdrawals", A_1, rent),
                IdempotencyKeys.fingerprint(DEPOSITS, StreamId.of("account", "a-2"), rent),
                IdempotencyKeys.fingerprint(DEPOSITS, A_1, new DepositMoney(TEN_EUR, "rent, again")))).hasSize(4);
    }
}
