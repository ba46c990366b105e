package dev.factline.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.factline.catalogue.ProductCommand.AddStock;
import dev.factline.catalogue.ProductCommand.CreateProduct;
import dev.factline.catalogue.ProductCommand.DescribeProduct;
import dev.factline.catalogue.ProductCommand.ReleaseReservation;
import dev.factline.catalogue.ProductCommand.ReserveStock;
import dev.factline.catalogue.ProductEvent.ProductCreated;
import dev.factline.catalogue.ProductEvent.ProductDescribed;
import dev.factline.catalogue.ProductEvent.ReservationReleased;
import dev.factline.catalogue.ProductEvent.StockAdded;
import dev.factline.catalogue.ProductEvent.StockReserved;
import dev.factline.catalogue.ProductState.Listed;
import dev.factline.eventsourcing.DeciderScenario;
import dev.factline.eventsourcing.StreamId;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProductDeciderTest {

    static final StreamId PRODUCT = Products.TYPE.streamId("p-1");
    static final ProductCreated CREATED = new ProductCreated("MUG-1", "Mug", 10);

    static DeciderScenario<ProductCommand, ProductEvent, ProductState> scenario() {
        return DeciderScenario.of(new ProductDecider(), PRODUCT);
    }

    @Nested
    class Creating {

        @Test
        void records_the_sku_name_and_first_stock() {
            ProductState state = scenario().when(new CreateProduct("MUG-1", "Mug", 10)).then(CREATED);

            assertThat(state).isEqualTo(new Listed("MUG-1", "Mug", 10, Map.of()));
        }

        @Test
        void twice_is_refused_naming_the_sku_it_has() {
            assertThat(scenario().given(CREATED).when(new CreateProduct("MUG-2", "Mug", 1))
                    .thenRefused(ProductRule.PRODUCT_ALREADY_CREATED))
                    .hasMessage("product p-1 was already created, with SKU MUG-1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "-MUG", "MUG 1", "M\u00dcG", "MUG/1"})
        void refuses_what_is_not_a_sku(String sku) {
            assertThatThrownBy(() -> new CreateProduct(sku, "Mug", 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("sku must be");
        }
    }

    @Nested
    class Describing {

        @Test
        void records_the_description_and_leaves_the_state_as_it_was() {
            ProductState state = scenario().given(CREATED).when(new DescribeProduct("A white mug.")).then(new ProductDescribed("A white mug."));

            assertThat(state).isEqualTo(new Listed("MUG-1", "Mug", 10, Map.of()));
        }

        @Test
        void a_product_never_created_is_refused() {
            assertThat(scenario().when(new DescribeProduct("A mug.")).thenRefused(ProductRule.PRODUCT_NOT_FOUND))
                    .hasMessage("there is no product p-1");
        }

        @Test
        void takes_exactly_1_mib_of_utf_8_and_refuses_a_byte_more() {
            String largest = "\u00e9".repeat(ProductCommand.MAX_DESCRIPTION_BYTES / 2);

            assertThat(new DescribeProduct(largest).description()).isEqualTo(largest);
            assertThatThrownBy(() -> new DescribeProduct(largest + "x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("description must be at most 1048576 bytes of UTF-8, but was 1048577");
            assertThatThrownBy(() -> new DescribeProduct(" ")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("description must not be blank");
        }
    }

    @Nested
    class Reserving {

        @Test
        void holds_units_until_released_and_gives_them_back() {
            ProductState reserved = scenario().given(CREATED).when(new ReserveStock("o-1", 4)).then(new StockReserved("o-1", 4));
            assertThat(((Listed) reserved).available()).isEqualTo(6);

            ProductState released = scenario().given(CREATED, new StockReserved("o-1", 4)).when(new ReleaseReservation("o-1"))
                    .then(new ReservationReleased("o-1", 4));
            assertThat(((Listed) released).available()).isEqualTo(10);
        }

        @Test
        void exactly_what_is_left_is_allowed_and_one_more_is_refused() {
            scenario().given(CREATED, new StockReserved("o-1", 4)).when(new ReserveStock("o-2", 6)).then(new StockReserved("o-2", 6));
            assertThat(scenario().given(CREATED, new StockReserved("o-1", 4)).when(new ReserveStock("o-2", 7))
                    .thenRefused(ProductRule.INSUFFICIENT_STOCK))
                    .hasMessage("product p-1 has 6 units not yet reserved, fewer than the 7 asked for");
        }

        @Test
        void counts_stock_added_since() {
            scenario().given(CREATED, new StockReserved("o-1", 10), new StockAdded(3)).when(new ReserveStock("o-2", 3))
                    .then(new StockReserved("o-2", 3));
        }

        @Test
        void under_an_id_that_already_holds_one_is_refused() {
            assertThat(scenario().given(CREATED, new StockReserved("o-1", 1)).when(new ReserveStock("o-1", 1))
                    .thenRefused(ProductRule.RESERVATION_ALREADY_HELD))
                    .hasMessage("product p-1 already holds 1 units for reservation o-1");
        }

        @Test
        void releasing_what_is_not_held_is_refused() {
            assertThat(scenario().given(CREATED).when(new ReleaseReservation("o-9"))
                    .thenRefused(ProductRule.RESERVATION_NOT_FOUND))
                    .hasMessage("product p-1 holds no reservation o-9");
        }

        @Test
        void on_a_product_never_created_is_refused_as_missing() {
            assertThat(scenario().when(new ReserveStock("o-1", 1)).thenRefused(ProductRule.PRODUCT_NOT_FOUND))
                    .hasMessage("there is no product p-1");
            assertThat(ProductRule.PRODUCT_NOT_FOUND.meansStreamMissing()).isTrue();
        }
    }

    @Test
    void stock_past_the_limit_is_refused() {
        assertThat(scenario().given(new ProductCreated("MUG-1", "Mug", ProductCommand.MAX_STOCK)).when(new AddStock(1))
                .thenRefused(ProductRule.STOCK_LIMIT_EXCEEDED))
                .hasMessage("product p-1 holds 1000000000 units; adding 1 would pass the limit of 1000000000");
    }

    @Test
    void a_reservation_past_the_stock_in_a_stored_history_is_a_corrupt_stream() {
        ProductDecider decider = new ProductDecider();
        ProductState created = decider.evolve(decider.initialState(), CREATED);

        assertThatThrownBy(() -> decider.evolve(created, new StockReserved("o-1", 11))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the stream is corrupt");
    }
}
