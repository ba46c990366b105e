package dev.factline.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.catalogue.ProductEvent.ProductCreated;
import dev.factline.catalogue.ProductEvent.ProductDescribed;
import dev.factline.catalogue.ProductEvent.ReservationReleased;
import dev.factline.catalogue.ProductEvent.StockAdded;
import dev.factline.catalogue.ProductEvent.StockReserved;
import dev.factline.eventsourcing.Json;
import dev.factline.eventsourcing.StreamId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProductViewTest {

    private static final StreamId PRODUCT = Products.TYPE.streamId("p-1");
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void counts_what_is_on_hand_held_and_left_after_each_move() {
        List<ProductEvent> history = List.of(new ProductCreated("MUG-1", "Mug", 10), new StockReserved("o-1", 4), new StockAdded(5),
                new StockReserved("o-2", 2), new ReservationReleased("o-1", 4));

        ProductView view = null;
        for (int i = 0; i < history.size(); i++) {
            view = ProductView.PROJECTION.apply(view, PRODUCT, i + 1, T0.plusSeconds(i), history.get(i));
        }

        assertThat(view).isEqualTo(new ProductView("p-1", "MUG-1", "Mug", null, 15, 2, 1, 5, T0, T0.plusSeconds(4)));
        assertThat(view.available()).isEqualTo(13);
    }

    @Test
    void shows_the_latest_description_and_keeps_the_counts() {
        ProductView created = ProductView.PROJECTION.apply(null, PRODUCT, 1, T0, new ProductCreated("MUG-1", "Mug", 10));
        ProductView first = ProductView.PROJECTION.apply(created, PRODUCT, 2, T0.plusSeconds(1), new ProductDescribed("White."));
        ProductView second = ProductView.PROJECTION.apply(first, PRODUCT, 3, T0.plusSeconds(2), new ProductDescribed("Blue."));

        assertThat(created.description()).isNull();
        assertThat(second).isEqualTo(new ProductView("p-1", "MUG-1", "Mug", "Blue.", 10, 0, 0, 3, T0, T0.plusSeconds(2)));
    }

    @Test
    void answers_with_what_is_available_and_reads_its_own_json_back() throws Exception {
        ObjectMapper json = Json.strictMapper();
        ProductView view = new ProductView("p-1", "MUG-1", "Mug", "A mug.", 10, 4, 1, 2, T0, T0);

        String written = json.writeValueAsString(view);

        assertThat(json.readTree(written).get("available").asInt()).isEqualTo(6);
        assertThat(json.readValue(written, ProductView.class)).isEqualTo(view);
    }
}
