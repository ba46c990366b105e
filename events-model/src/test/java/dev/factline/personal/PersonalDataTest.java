package dev.factline.personal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.account.AccountCommand;
import dev.factline.account.AccountEvent;
import dev.factline.account.AccountOpened;
import dev.factline.account.AccountState;
import dev.factline.account.AccountView;
import dev.factline.account.Accounts;
import dev.factline.account.DepositMoney;
import dev.factline.account.OpenAccount;
import dev.factline.eventsourcing.CommandHandler;
import dev.factline.eventsourcing.CommandRequest;
import dev.factline.eventsourcing.CommandResult;
import dev.factline.eventsourcing.EventCodec;
import dev.factline.eventsourcing.EventMetadata;
import dev.factline.eventsourcing.IdGenerator;
import dev.factline.eventsourcing.Idempotency;
import dev.factline.eventsourcing.IdempotencyKey;
import dev.factline.eventsourcing.InMemoryEventStore;
import dev.factline.eventsourcing.RecordedEvent;
import dev.factline.eventsourcing.StreamId;
import dev.factline.money.Money;
import dev.factline.order.Orders;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Personal fields sealed on append, revealed on the way out, erased once their subject is forgotten. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PersonalDataTest {

    private static final StreamId ACCOUNT = Accounts.TYPE.streamId("a-1");
    private static final Currency EUR = Currency.getInstance("EUR");
    private static final EventMetadata METADATA = EventMetadata.forCommand("req-1");

    private final InMemoryEventStore stored = new InMemoryEventStore();
    private final InMemoryDataKeys keys = new InMemoryDataKeys();
    private final SealingEventStore store = new SealingEventStore(stored, List.of(Accounts.codec(), Orders.EVENTS), keys);
    private final CommandHandler<AccountCommand, AccountEvent, AccountState> accounts = new CommandHandler<>(
            Accounts.TYPE, store, InstantSource.fixed(Instant.parse("2026-02-03T04:05:06Z")), IdGenerator.random());

    @Test
    void the_store_holds_only_sealed_text_and_a_reveal_gives_the_plain_values_back() {
        CommandResult opened = open("Ada Lovelace", "ada@example.org");

        String payload = stored.load(ACCOUNT).getFirst().payload();
        assertThat(payload).doesNotContain("Ada", "ada@example.org").contains(SealedText.PREFIX + SealedText.ALGORITHM + "/");
        assertThat(opened.events().getFirst().payload()).contains("Ada Lovelace");
        assertThat(PersonalData.reveal(payload, keys, "the event")).isEqualTo(
                "{\"ownerId\":\"c-7\",\"currency\":\"EUR\",\"holderName\":\"Ada Lovelace\",\"holderEmail\":\"ada@example.org\"}");
    }

    @Test
    void a_forgotten_subject_reads_as_erased_everywhere_its_sealed_text_went_while_the_rest_stays() {
        open("Ada Lovelace", "ada@example.org");
        accounts.handle(CommandRequest.of(ACCOUNT, new DepositMoney(Money.of(1_000, "EUR"), "salary"), METADATA));
        // A read model folds the sealed events as they are stored, so it keeps sealed text too.
        AccountView view = fold(stored.load(ACCOUNT));
        String viewJson = "{\"holderName\":\"" + view.holderName() + "\",\"balance\":" + view.balance().minorUnits() + "}";
        assertThat(PersonalData.open(viewJson, keys, "the view").erasedAny()).as("plain before the forget").isFalse();

        assertThat(keys.shred("c-7")).isPresent();

        assertThat(PersonalData.open(viewJson, keys, "the view"))
                .isEqualTo(new PersonalData.Revealed("{\"holderName\":\"[erased]\",\"balance\":1000}", true));
        assertThat(PersonalData.reveal(stored.load(ACCOUNT).getFirst().payload(), keys, "the event"))
                .contains("\"holderName\":\"[erased]\"", "\"holderEmail\":\"[erased]\"", "\"ownerId\":\"c-7\"");
        assertThat(accounts.handle(CommandRequest.of(ACCOUNT, new DepositMoney(Money.of(1, "EUR"), null), METADATA)).streamVersion())
                .isEqualTo(3);
    }

    @Test
    void an_idempotent_replay_after_the_subject_was_forgotten_shows_the_fields_erased() {
        Idempotency idempotency = new Idempotency(new IdempotencyKey("open-0001"), "POST /accounts");
        CommandRequest<OpenAccount> request =
                CommandRequest.of(ACCOUNT, new OpenAccount("c-7", EUR, "Ada", "ada@example.org"), METADATA).withIdempotency(idempotency);
        accounts.handle(request);
        keys.shred("c-7");

        CommandResult replay = accounts.handle(request);

        // A replay answers from the store, sealed as stored; the command function reveals it on the way out.
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.events().getFirst().payload()).doesNotContain("Ada");
        assertThat(PersonalData.reveal(replay.events().getFirst().payload(), keys, "the replay")).contains("\"holderName\":\"[erased]\"");
    }

    @Test
    void a_tampered_ciphertext_is_an_error_that_names_where_it_was_and_never_wrong_data() {
        open("Ada Lovelace", "ada@example.org");
        RecordedEvent event = stored.load(ACCOUNT).getFirst();
        String sealed = Accounts.codec().decode(event) instanceof AccountOpened opened ? opened.holderName() : null;
        String flipped = flipLastDataByte(sealed);

        assertThatThrownBy(() -> PersonalData.reveal(event.payload().replace(sealed, flipped), keys, SealingEventStore.describe(event)))
                .isInstanceOf(PersonalDataTamperedException.class)
                .hasMessageContaining("event AccountOpened at account#a-1 version 1")
                .hasMessageContaining("/holderName")
                .hasMessageContaining("fails its integrity check");
    }

    @Test
    void sealed_text_moved_to_another_subject_fails_its_integrity_check() {
        DataKey ada = keys.sealingKey("c-7");
        String sealed = SealedText.seal(ada, "Ada");
        String moved = sealed.replace(ada.keyId() + "/c-7/", keys.sealingKey("c-8").keyId() + "/c-8/");

        assertThatThrownBy(() -> PersonalData.reveal("{\"name\":\"" + moved + "\"}", keys, "a view"))
                .isInstanceOf(PersonalDataTamperedException.class);
        assertThat(PersonalData.reveal("{\"name\":\"" + sealed + "\"}", keys, "a view")).isEqualTo("{\"name\":\"Ada\"}");
    }

    @Test
    void an_event_whose_personal_fields_are_null_is_stored_as_it_is_and_asks_for_no_key() {
        SealingEventStore keyless = new SealingEventStore(stored, List.of(Accounts.codec()), DataKeys.none("no master key in this test"));
        new CommandHandler<>(Accounts.TYPE, keyless, InstantSource.fixed(Instant.EPOCH), IdGenerator.random())
                .handle(CommandRequest.of(ACCOUNT, new OpenAccount("c-7", EUR), METADATA));

        assertThat(stored.load(ACCOUNT).getFirst().payload())
                .isEqualTo("{\"ownerId\":\"c-7\",\"currency\":\"EUR\",\"holderName\":null,\"holderEmail\":null}");
    }

    @Test
    void text_that_passes_for_sealed_data_is_refused_where_a_client_gives_it() {
        assertThatThrownBy(() -> new OpenAccount("c-7", EUR, SealedText.PREFIX + "A256GCM/k/c-7/AAAA", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holderName may not begin with 'fl-sealed/v1/'");
        assertThatThrownBy(() -> new DepositMoney(Money.of(1, "EUR"), SealedText.PREFIX + "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reference");
    }

    @Test
    void a_codec_refuses_personal_fields_its_record_does_not_have() {
        assertThatThrownBy(() -> EventCodec.builder(AccountEvent.class)
                .register("AccountOpened", AccountOpened.class).personal("AccountOpened", "ownerId", "nickname").build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_v1_account_opened_reads_with_no_holder_name_or_email() {
        RecordedEvent v1 = new RecordedEvent(UUID.randomUUID(), ACCOUNT, 1, "AccountOpened", 1, Instant.EPOCH,
                "{\"ownerId\":\"c-7\",\"currency\":\"EUR\"}", METADATA);

        assertThat(Accounts.codec().decode(v1)).isEqualTo(new AccountOpened("c-7", EUR, null, null));
    }

    @Test
    void forgetting_a_key_already_recorded_decides_nothing() {
        SubjectDecider subjects = new SubjectDecider();
        SubjectState forgotten = subjects.evolve(subjects.initialState(), new SubjectEvent.PersonalDataForgotten("k-1"));

        assertThat(subjects.decide(new SubjectCommand.ForgetPersonalData("k-1"), forgotten, null)).isEmpty();
        assertThat(subjects.decide(new SubjectCommand.ForgetPersonalData("k-2"), forgotten, null))
                .containsExactly(new SubjectEvent.PersonalDataForgotten("k-2"));
    }

    private CommandResult open(String name, String email) {
        return accounts.handle(CommandRequest.of(ACCOUNT, new OpenAccount("c-7", EUR, name, email), METADATA));
    }

    private static AccountView fold(List<RecordedEvent> events) {
        AccountView view = null;
        for (RecordedEvent event : events) {
            view = AccountView.PROJECTION.apply(view, event.streamId(), event.version(), event.occurredAt(), Accounts.codec().decode(event));
        }
        return view;
    }

    private static String flipLastDataByte(String sealed) {
        String header = sealed.substring(0, sealed.lastIndexOf('/') + 1);
        byte[] data = Base64.getUrlDecoder().decode(sealed.substring(header.length()));
        data[data.length - 1] ^= 1;
        return header + Base64.getUrlEncoder().withoutPadding().encodeToString(data);
    }
}
