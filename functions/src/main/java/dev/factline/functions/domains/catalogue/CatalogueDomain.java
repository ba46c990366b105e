package dev.factline.functions.domains.catalogue;

import dev.factline.catalogue.ProductCommand;
import dev.factline.catalogue.ProductCommand.AddStock;
import dev.factline.catalogue.ProductCommand.CreateProduct;
import dev.factline.catalogue.ProductCommand.DescribeProduct;
import dev.factline.catalogue.ProductCommand.ReleaseReservation;
import dev.factline.catalogue.ProductCommand.ReserveStock;
import dev.factline.catalogue.ProductView;
import dev.factline.catalogue.Products;
import dev.factline.functions.command.BoundCommand;
import dev.factline.functions.command.CommandInput;
import dev.factline.functions.command.CommandRoute;
import dev.factline.functions.command.Fields;
import dev.factline.functions.command.StreamResources;
import dev.factline.functions.domain.Declarations;
import dev.factline.functions.domain.Domain;
import dev.factline.functions.http.JsonObjectReader;

/**
 * Products, their stock and its reservations, as the functions host them:
 *
 * <pre>
 * POST /products                     {"productId"?, "sku", "name", "stock"}   CreateProduct (409 unique-value-taken, code sku-taken, for a SKU another product has)
 * POST /products/{id}/description    {"description"}                          DescribeProduct (up to 1 MiB of UTF-8; bodies up to 3 MiB)
 * POST /products/{id}/stock          {"quantity"}                             AddStock
 * POST /products/{id}/reservations   {"reservationId", "quantity"}            ReserveStock (422 insufficient-stock past what is left)
 * POST /products/{id}/releases       {"reservationId"}                        ReleaseReservation
 * GET  /products/{id}                the product's view: on hand, reserved, available (written inline: current once a command is answered)
 * GET  /products/{id}/events         its history
 * </pre>
 */
public final class CatalogueDomain implements Domain {

    /** A 1 MiB description as JSON, with room for escapes: text far from ASCII takes more bytes escaped than raw. */
    static final int DESCRIPTION_BODY_BYTES = 3 * ProductCommand.MAX_DESCRIPTION_BYTES;

    @Override
    public void declare(Declarations declare) {
        StreamResources<ProductCommand> products = declare.aggregate("/products", Products.TYPE);
        declare.command("/products", CommandRoute.withBody(input -> create(input, products)))
                .command("/products/{id}/description", CommandRoute.withBody(input -> describe(input, products)).withMaxBodyBytes(DESCRIPTION_BODY_BYTES))
                .command("/products/{id}/stock", CommandRoute.withBody(input -> addStock(input, products)))
                .command("/products/{id}/reservations", CommandRoute.withBody(input -> reserve(input, products)))
                .command("/products/{id}/releases", CommandRoute.withBody(input -> release(input, products)))
                .view("/products/{id}", ProductView.MODEL)
                .unique(Products.TYPE, Products.SKU);
    }

    private static BoundCommand<ProductCommand> create(CommandInput input, StreamResources<ProductCommand> products) {
        JsonObjectReader body = input.body().allowOnly("productId", "sku", "name", "stock");
        String productId = Fields.optionalId(body, "productId");
        String sku = body.requiredString("sku");
        body.check("sku", () -> ProductCommand.requireSku(sku));
        String name = body.requiredString("name");
        int stock = body.requiredInt("stock", 0, ProductCommand.MAX_STOCK);
        CreateProduct command = body.check(() -> new CreateProduct(sku, name, stock));
        return products.bind(productId != null ? productId : input.newId(), command);
    }

    private static BoundCommand<ProductCommand> describe(CommandInput input, StreamResources<ProductCommand> products) {
        String productId = input.pathId();
        JsonObjectReader body = input.body().allowOnly("description");
        String description = body.requiredString("description");
        return products.bind(productId, body.check("description", () -> new DescribeProduct(description)));
    }

    private static BoundCommand<ProductCommand> addStock(CommandInput input, StreamResources<ProductCommand> products) {
        String productId = input.pathId();
        JsonObjectReader body = input.body().allowOnly("quantity");
        int quantity = body.requiredInt("quantity", 1, ProductCommand.MAX_STOCK);
        return products.bind(productId, new AddStock(quantity));
    }

    private static BoundCommand<ProductCommand> reserve(CommandInput input, StreamResources<ProductCommand> products) {
        String productId = input.pathId();
        JsonObjectReader body = input.body().allowOnly("reservationId", "quantity");
        String reservationId = Fields.requiredId(body, "reservationId");
        int quantity = body.requiredInt("quantity", 1, ProductCommand.MAX_STOCK);
        return products.bind(productId, new ReserveStock(reservationId, quantity));
    }

    private static BoundCommand<ProductCommand> release(CommandInput input, StreamResources<ProductCommand> products) {
        String productId = input.pathId();
        JsonObjectReader body = input.body().allowOnly("reservationId");
        String reservationId = Fields.requiredId(body, "reservationId");
        return products.bind(productId, new ReleaseReservation(reservationId));
    }
}
