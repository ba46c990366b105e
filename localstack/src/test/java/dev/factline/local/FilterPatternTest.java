package dev.factline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.factline.functions.topology.Topology;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(ReplaceUnderscores.class)
class FilterPatternTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean matches(String pattern, String record) {
        return FilterPattern.parse(pattern.replace('\'', '"')).matches(json(record));
    }

    @Nested
    class The_topologys_commits_only_filter {

        private final FilterPattern commitsOnly = FilterPattern.parse(Topology.COMMITS_ONLY);

        @Test
        void passes_an_insert_of_a_commit() {
            assertThat(commitsOnly.matches(json("{'eventName':'INSERT','dynamodb':{'NewImage':{'kind':{'S':'commit'},'pk':{'S':'account#a'}}}}"))).isTrue();
        }

        @Test
        void drops_snapshots_claims_and_removals() {
            assertThat(commitsOnly.matches(json("{'eventName':'INSERT','dynamodb':{'NewImage':{'kind':{'S':'snapshot'}}}}"))).isFalse();
            assertThat(commitsOnly.matches(json("{'eventName':'INSERT','dynamodb':{'NewImage':{'kind':{'S':'idempotency'}}}}"))).isFalse();
            assertThat(commitsOnly.matches(json("{'eventName':'REMOVE','dynamodb':{'OldImage':{'kind':{'S':'commit'}}}}"))).isFalse();
            assertThat(commitsOnly.matches(json("{'eventName':'MODIFY','dynamodb':{'NewImage':{'kind':{'S':'commit'}}}}"))).isFalse();
        }

        @Test
        void drops_a_record_without_the_nested_field() {
            assertThat(commitsOnly.matches(json("{'eventName':'INSERT','dynamodb':{}}"))).isFalse();
            assertThat(commitsOnly.matches(json("{'eventName':'INSERT'}"))).isFalse();
        }
    }

    @Nested
    class Leaves_are_lists_of_alternatives {

        @Test
        void any_string_of_the_list_matches() {
            assertThat(matches("{'a':['x','y']}", "{'a':'y'}")).isTrue();
            assertThat(matches("{'a':['x','y']}", "{'a':'z'}")).isFalse();
        }

        @Test
        void numbers_compare_as_numbers() {
            assertThat(matches("{'a':[5]}", "{'a':5.0}")).isTrue();
            assertThat(matches("{'a':[5]}", "{'a':'5'}")).isFalse();
            assertThat(matches("{'a':[{'numeric':['>',0,'<=',5]}]}", "{'a':5}")).isTrue();
            assertThat(matches("{'a':[{'numeric':['>',0,'<=',5]}]}", "{'a':6}")).isFalse();
        }

        @Test
        void a_list_in_the_record_matches_when_any_element_does() {
            assertThat(matches("{'a':['x']}", "{'a':['w','x']}")).isTrue();
            assertThat(matches("{'a':['x']}", "{'a':['w']}")).isFalse();
        }

        @Test
        void prefix_anything_but_exists_and_null() {
            assertThat(matches("{'a':[{'prefix':'acc'}]}", "{'a':'account#1'}")).isTrue();
            assertThat(matches("{'a':[{'anything-but':['x']}]}", "{'a':'y'}")).isTrue();
            assertThat(matches("{'a':[{'anything-but':['x']}]}", "{'a':'x'}")).isFalse();
            assertThat(matches("{'a':[{'exists':false}]}", "{'b':1}")).isTrue();
            assertThat(matches("{'a':[{'exists':true}]}", "{'b':1}")).isFalse();
            assertThat(matches("{'a':[null]}", "{'a':null}")).isTrue();
        }

        @Test
        void every_field_must_match() {
            assertThat(matches("{'a':['x'],'b':{'c':[1]}}", "{'a':'x','b':{'c':1}}")).isTrue();
            assertThat(matches("{'a':['x'],'b':{'c':[1]}}", "{'a':'x','b':{'c':2}}")).isFalse();
        }
    }

    @Test
    void a_leaf_that_is_not_a_list_is_refused_as_lambda_refuses_it() {
        assertThatThrownBy(() -> FilterPattern.parse("{\"a\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FilterPattern.parse("[]")).isInstanceOf(IllegalArgumentException.class);
    }
}
