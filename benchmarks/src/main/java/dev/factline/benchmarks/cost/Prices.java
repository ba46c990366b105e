package dev.factline.benchmarks.cost;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Properties;

/**
 * The on-demand prices of {@code prices.properties}, each in dollars per unit (the file states
 * most per million): DynamoDB request units, Lambda requests and GB-seconds, HTTP API requests,
 * Kinesis PUT payload units and shard-hours, ElastiCache Serverless ECPUs and GB-hours.
 */
public record Prices(String region, String lookedUp, double writeRequestUnit, double readRequestUnit, double streamsReadRequestUnit,
        double lambdaRequest, double lambdaArmGbSecond, double lambdaX86GbSecond, double httpApiRequest, double kinesisPutPayloadUnit,
        double kinesisShardHour, double cacheEcpu, double cacheGbHour) {

    private static final double MILLION = 1e6;

    public Prices {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(lookedUp, "lookedUp");
    }

    /** The prices shipped with the harness (src/main/resources/prices.properties). */
    public static Prices standard() {
        try (InputStream in = Prices.class.getResourceAsStream("/prices.properties")) {
            if (in == null) {
                throw new IllegalStateException("prices.properties is not on the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("could not read prices.properties", e);
        }
    }

    /**
     * The prices in a properties file's text.
     *
     * @throws IllegalArgumentException naming the key, when a price is missing, not a number, or negative
     */
    public static Prices parse(String text) {
        Properties properties = new Properties();
        try (Reader reader = new StringReader(text)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("prices.properties does not read as a properties file: " + e.getMessage(), e);
        }
        return new Prices(required(properties, "region"), required(properties, "looked.up"),
                perMillion(properties, "dynamodb.write.request.units"), perMillion(properties, "dynamodb.read.request.units"),
                perMillion(properties, "dynamodb.streams.read.request.units"), perMillion(properties, "lambda.requests"),
                perMillion(properties, "lambda.arm64.gb.seconds"), perMillion(properties, "lambda.x86.gb.seconds"),
                perMillion(properties, "apigateway.http.requests"), perMillion(properties, "kinesis.put.payload.units"),
                price(properties, "kinesis.shard.hour"), perMillion(properties, "elasticache.serverless.ecpus"),
                price(properties, "elasticache.serverless.gb.hour"));
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("prices.properties lacks " + key);
        }
        return value.trim();
    }

    private static double perMillion(Properties properties, String key) {
        return price(properties, key) / MILLION;
    }

    private static double price(Properties properties, String key) {
        String value = required(properties, key);
        double price;
        try {
            price = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("prices.properties: " + key + " is not a number: '" + value + "'", e);
        }
        if (!(price >= 0) || Double.isInfinite(price)) {
            throw new IllegalArgumentException("prices.properties: " + key + " must be a price of 0 or more, not " + value);
        }
        return price;
    }
}
