package dev.factline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/**
 * cdk-nag's AWS Solutions rules over both stacks, in each variant: no unsuppressed error or
 * warning, and the suppressions are exactly the known ones, each with its reason (read from
 * cdk-nag's own report).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CdkNagTest {

    /** Every rule the stacks suppress; a new suppression must be added here, on purpose. */
    private static final Set<String> SUPPRESSED = Set.of("AwsSolutions-L1", "AwsSolutions-IAM4", "AwsSolutions-IAM5", "AwsSolutions-SQS3",
            "AwsSolutions-APIG4", "AwsSolutions-S1");

    static Stream<Arguments> variants() {
        Settings aws = TestApps.settings();
        return Stream.of(
                Arguments.of("defaults (IAM auth, cache on)", aws),
                Arguments.of("JWT authorizer, no cache", aws.withCache(false).withJwt(new Settings.Jwt("https://issuer.example.com/", List.of("api")))),
                Arguments.of("JWT authorizer, the explorer's page open", aws.withJwt(new Settings.Jwt("https://issuer.example.com/", List.of("api")))
                        .withOpenExplorerPage(true)),
                Arguments.of("local", aws.asLocal(Optional.of("redis://localhost:6379"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void aws_solutions_checks_find_nothing_unsuppressed(String variant, Settings settings) throws IOException {
        Path outdir = TestApps.outdir();
        App app = new App(AppProps.builder().outdir(outdir.toString()).build());
        FactlineApp.Stacks stacks = FactlineApp.stacks(app, settings);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).reports(true).build()));

        for (Stack stack : List.of(stacks.data(), stacks.service())) {
            Annotations annotations = Annotations.fromStack(stack);
            annotations.hasNoError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
            annotations.hasNoWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        }

        Set<String> suppressed = new TreeSet<>();
        for (Stack stack : List.of(stacks.data(), stacks.service())) {
            Path report = outdir.resolve("AwsSolutions-" + stack.getStackName() + "-NagReport.csv");
            List<String> rows = Files.readAllLines(report).stream().skip(1).toList();
            assertThat(rows).as(report.toString()).isNotEmpty();
            for (String row : rows) {
                List<String> cells = csv(row);
                assertThat(cells.get(2)).as(row).isIn("Compliant", "Suppressed", "N/A");
                if (cells.get(2).equals("Suppressed")) {
                    suppressed.add(cells.get(0));
                    assertThat(cells.get(3)).as("the reason of %s", row).hasSizeGreaterThan(40);
                }
            }
        }
        assertThat(SUPPRESSED).containsAll(suppressed);
    }

    /** One row of cdk-nag's report: quoted cells, quotes doubled inside. */
    private static List<String> csv(String row) {
        List<String> cells = new java.util.ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quoted && c == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
