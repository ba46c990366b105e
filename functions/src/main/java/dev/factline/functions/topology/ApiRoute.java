package dev.factline.functions.topology;

import java.util.Objects;

/**
 * One route of the HTTP API: {@code method} and {@code path} (API Gateway's {@code {id}} syntax) to
 * a function. The method {@value #ANY} is API Gateway's: it matches every method the path has no
 * route of its own for.
 */
public record ApiRoute(String method, String path, String function) {

    public static final String ANY = "ANY";

    public ApiRoute {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(function, "function");
    }

    public boolean anyMethod() {
        return method.equals(ANY);
    }

    /** {@code "POST /accounts"}: the key API Gateway and the functions' route tables both use. */
    public String key() {
        return method + " " + path;
    }
}
