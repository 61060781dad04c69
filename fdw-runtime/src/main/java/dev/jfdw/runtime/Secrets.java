package dev.jfdw.runtime;

import dev.jfdw.api.OptionSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of secret options (passwords, tokens) this backend has seen,
 * masked wherever jfdw writes text a user may read: error messages and
 * EXPLAIN output. A connector may put a secret into an exception message
 * (a driver's URL, say); it still never reaches the client or the log.
 * A value shorter than four characters is masked only where it stands
 * alone, with no letter or digit next to it: masked inside words too, it
 * would mangle every message.
 */
final class Secrets {
    private Secrets() {}

    static final String MASK = "********";
    private static final int MIN_LENGTH = 4;
    /** Longest first, so that a secret containing another is masked whole. */
    private static final Set<String> values = new TreeSet<>((a, b) -> a.length() != b.length()
            ? Integer.compare(b.length(), a.length()) : a.compareTo(b));

    /** Short values, as words: a pattern each. */
    private static final Map<String, Pattern> words = new HashMap<>();

    /** Remembers the values of the secret options among {@code raw}. */
    static void remember(Collection<OptionSpec<?>> specs, Map<String, String> raw) {
        for (OptionSpec<?> spec : specs) {
            String value = raw.get(spec.name());
            if (!spec.isSecret() || value == null || value.isEmpty()) {
                continue;
            }
            synchronized (values) {
                if (value.length() >= MIN_LENGTH) {
                    values.add(value);
                } else {
                    words.computeIfAbsent(value, v -> Pattern.compile(
                            "(?<![\\p{L}\\p{N}])" + Pattern.quote(v) + "(?![\\p{L}\\p{N}])"));
                }
            }
        }
    }

    /** {@code text} with every known secret replaced by {@link #MASK}. */
    static String mask(String text) {
        if (text == null) {
            return null;
        }
        synchronized (values) {
            for (String secret : values) {
                if (text.contains(secret)) {
                    text = text.replace(secret, MASK);
                }
            }
            for (var word : words.entrySet()) {
                if (text.contains(word.getKey())) {
                    text = word.getValue().matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
                }
            }
        }
        return text;
    }
}
