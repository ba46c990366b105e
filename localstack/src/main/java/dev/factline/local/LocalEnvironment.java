package dev.factline.local;

import dev.factline.functions.config.FunctionSettings;
import dev.factline.functions.topology.FunctionSpec;
import dev.factline.functions.topology.Resource;
import java.net.URI;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the local pipeline puts in each function's environment, as the CDK stack does on AWS: the
 * settings the topology deploys the function with, unchanged, and the local names (or URL) of the
 * resources it is wired to; then what Lambda adds, a region and credentials (dummy ones, which the
 * emulators accept), and the emulators' endpoints in the SDK's own variables, as LocalStack sets
 * them. Nothing else: a function built from it is built exactly as the deployed one.
 *
 * @param resources where each resource is here: a table's or a stream's name, the cache's URL
 * @param dynamoDb dynalite's endpoint
 * @param kinesis kinesalite's endpoint
 * @param s3 s3rver's endpoint (the payload bucket)
 */
record LocalEnvironment(Map<Resource, String> resources, URI dynamoDb, URI kinesis, URI s3) {

    static final String REGION = "us-east-1";

    LocalEnvironment {
        resources = new EnumMap<>(resources);
        Objects.requireNonNull(dynamoDb, "dynamoDb");
        Objects.requireNonNull(kinesis, "kinesis");
        Objects.requireNonNull(s3, "s3");
    }

    /** The variables of {@code spec}'s function. */
    Map<String, String> variables(FunctionSpec spec) {
        Map<String, String> variables = new LinkedHashMap<>(spec.settings());
        spec.environment().forEach((variable, resource) -> variables.put(variable, Objects.requireNonNull(resources.get(resource),
                () -> spec.name() + " is wired to " + resource + ", which the local pipeline does not have")));
        variables.put(FunctionSettings.AWS_REGION.name(), REGION);
        variables.put(FunctionSettings.AWS_ACCESS_KEY_ID.name(), "local");
        variables.put(FunctionSettings.AWS_SECRET_ACCESS_KEY.name(), "local");
        variables.put(FunctionSettings.AWS_ENDPOINT_URL_DYNAMODB.name(), dynamoDb.toString());
        variables.put(FunctionSettings.AWS_ENDPOINT_URL_KINESIS.name(), kinesis.toString());
        variables.put(FunctionSettings.AWS_ENDPOINT_URL_S3.name(), s3.toString());
        return variables;
    }
}
