package dev.meshdeck.dataplane.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshdeck.dataplane.route.internal.QueryString;
import org.junit.jupiter.api.Test;

class QueryStringTest {

    @Test
    void findsTheFirstValueOfAParameter() {
        assertThat(QueryString.first("/p?a=1&b=2&a=3", "a")).contains("1");
        assertThat(QueryString.first("/p?a=1&b=2", "b")).contains("2");
        assertThat(QueryString.first("/p?a=1", "c")).isEmpty();
        assertThat(QueryString.first("/p", "a")).isEmpty();
    }

    @Test
    void aParameterWithoutValueIsPresentAndEmpty() {
        assertThat(QueryString.first("/p?flag&x=1", "flag")).contains("");
        assertThat(QueryString.first("/p?flag=", "flag")).contains("");
    }

    @Test
    void decodesPercentEscapesAsUtf8AndKeepsPlusAndMalformedEscapes() {
        assertThat(QueryString.decode("caf%C3%A9")).isEqualTo("café");
        assertThat(QueryString.decode("a+b")).isEqualTo("a+b");
        assertThat(QueryString.decode("100%")).isEqualTo("100%");
        assertThat(QueryString.decode("%zz%4")).isEqualTo("%zz%4");
    }

    @Test
    void parameterNamesAreDecodedToo() {
        assertThat(QueryString.first("/p?user%5Fid=7", "user_id")).contains("7");
    }

    @Test
    void theFragmentIsNotPartOfTheQuery() {
        assertThat(QueryString.first("/p?a=1#frag", "a")).contains("1");
    }
}
