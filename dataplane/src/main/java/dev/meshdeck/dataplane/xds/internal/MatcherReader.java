package dev.meshdeck.dataplane.xds.internal;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.meshdeck.dataplane.config.RouteMatch.HeaderMatch;
import dev.meshdeck.dataplane.config.RouteMatch.QueryMatch;
import dev.meshdeck.dataplane.config.StringMatcher;
import dev.meshdeck.dataplane.xds.XdsConfigException;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.HeaderMatcher;
import dev.meshdeck.dataplane.xds.proto.envoy.config.route.v3.QueryParameterMatcher;
import dev.meshdeck.dataplane.xds.proto.envoy.type.matcher.v3.RegexMatcher;

/** Envoy's string, header and query parameter matchers. */
public final class MatcherReader {
    private MatcherReader() {
    }

    public static StringMatcher string(dev.meshdeck.dataplane.xds.proto.envoy.type.matcher.v3.StringMatcher m, String field) {
        boolean ic = m.getIgnoreCase();
        return switch (m.getMatchPatternCase()) {
            case EXACT -> StringMatcher.of(StringMatcher.Kind.EXACT, m.getExact(), ic);
            case PREFIX -> StringMatcher.of(StringMatcher.Kind.PREFIX, m.getPrefix(), ic);
            case SUFFIX -> StringMatcher.of(StringMatcher.Kind.SUFFIX, m.getSuffix(), ic);
            case CONTAINS -> StringMatcher.of(StringMatcher.Kind.CONTAINS, m.getContains(), ic);
            case SAFE_REGEX -> regex(m.getSafeRegex(), ic, field + ".safe_regex");
            case CUSTOM -> throw new XdsConfigException(field + ".custom: not supported "
                    + "(expected: exact, prefix, suffix, contains or safe_regex)");
            case MATCHPATTERN_NOT_SET -> throw new XdsConfigException(field + ": no match pattern "
                    + "(expected: exact, prefix, suffix, contains or safe_regex)");
        };
    }

    public static StringMatcher regex(RegexMatcher r, boolean ignoreCase, String field) {
        try {
            Pattern p = Pattern.compile(r.getRegex(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
            return new StringMatcher(StringMatcher.Kind.REGEX, r.getRegex(), ignoreCase, p);
        } catch (PatternSyntaxException e) {
            throw new XdsConfigException(field + ".regex: '" + r.getRegex() + "' is not a valid RE2 expression ("
                    + e.getDescription() + ")");
        }
    }

    public static HeaderMatch header(HeaderMatcher h, String field) {
        String f = field + "[" + h.getName() + "]";
        if (h.getName().isEmpty()) {
            throw new XdsConfigException(field + ".name: empty (expected: a header name)");
        }
        if (h.getTreatMissingHeaderAsEmpty()) {
            throw new XdsConfigException(f + ".treat_missing_header_as_empty: not supported (expected: false)");
        }
        StringMatcher matcher = switch (h.getHeaderMatchSpecifierCase()) {
            case EXACT_MATCH -> StringMatcher.of(StringMatcher.Kind.EXACT, h.getExactMatch(), false);
            case PREFIX_MATCH -> StringMatcher.of(StringMatcher.Kind.PREFIX, h.getPrefixMatch(), false);
            case SUFFIX_MATCH -> StringMatcher.of(StringMatcher.Kind.SUFFIX, h.getSuffixMatch(), false);
            case CONTAINS_MATCH -> StringMatcher.of(StringMatcher.Kind.CONTAINS, h.getContainsMatch(), false);
            case SAFE_REGEX_MATCH -> regex(h.getSafeRegexMatch(), false, f + ".safe_regex_match");
            case STRING_MATCH -> string(h.getStringMatch(), f + ".string_match");
            // present_match: false matches when the header is absent, the inverse of "present" (below).
            case PRESENT_MATCH -> null;
            case RANGE_MATCH -> throw new XdsConfigException(f + ".range_match: not supported "
                    + "(expected: string_match, exact_match, prefix_match, suffix_match, contains_match, "
                    + "safe_regex_match or present_match)");
            case HEADERMATCHSPECIFIER_NOT_SET -> null;
        };
        boolean invert = h.getInvertMatch();
        if (h.getHeaderMatchSpecifierCase() == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH
                && !h.getPresentMatch()) {
            invert = !invert;
        }
        return new HeaderMatch(h.getName(), matcher, invert);
    }

    public static QueryMatch query(QueryParameterMatcher q, String field) {
        String f = field + "[" + q.getName() + "]";
        if (q.getName().isEmpty()) {
            throw new XdsConfigException(field + ".name: empty (expected: a query parameter name)");
        }
        return switch (q.getQueryParameterMatchSpecifierCase()) {
            case STRING_MATCH -> new QueryMatch(q.getName(), string(q.getStringMatch(), f + ".string_match"));
            case PRESENT_MATCH -> {
                if (!q.getPresentMatch()) {
                    throw new XdsConfigException(f + ".present_match: false (expected: true)");
                }
                yield new QueryMatch(q.getName(), null);
            }
            case QUERYPARAMETERMATCHSPECIFIER_NOT_SET -> new QueryMatch(q.getName(), null);
        };
    }
}
