package dev.jfdw.api;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/** SQL LIKE and ILIKE matching, for connectors that apply such quals themselves. */
public final class Like {
    private Like() {}

    /**
     * A matcher for a LIKE pattern: {@code %} any sequence, {@code _} one
     * character, backslash escapes the next character (a pattern that ends
     * with one is PostgreSQL's error, 22025). ILIKE folds the case of ASCII
     * letters only, as PostgreSQL does under a collation whose character
     * classes are C's, the only ones under which jfdw offers ILIKE quals
     * (other collations fold by their locale's rules).
     */
    public static Predicate<String> matcher(String pattern, boolean caseInsensitive) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (i + 1 == pattern.length()) {
                    throw new FdwException("22025", "LIKE pattern must not end with escape character");
                }
                literal.append(pattern.charAt(++i));
            } else if (c == '%' || c == '_') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '%' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        int flags = Pattern.DOTALL | (caseInsensitive ? Pattern.CASE_INSENSITIVE : 0); // no UNICODE_CASE: ASCII
        Pattern p = Pattern.compile(regex.toString(), flags);
        return s -> s != null && p.matcher(s).matches();
    }
}
