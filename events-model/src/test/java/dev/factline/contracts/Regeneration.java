package dev.factline.contracts;

/** How to bring the catalogue up to date after adding a schema version: the test run that writes the files. */
final class Regeneration {

    static final String PROPERTY = "contracts.regenerate";

    static final String COMMAND = "./mvnw -B -pl events-model -am test -Dtest=EventCatalogueTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -D" + PROPERTY + "=true";

    private Regeneration() {
    }

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }
}
