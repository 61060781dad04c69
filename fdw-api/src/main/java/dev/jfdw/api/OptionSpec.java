package dev.jfdw.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An option a connector declares: its name, type, where it may be set, and
 * whether it is required or has a default. Immutable; the builder-style
 * methods return copies.
 *
 * <pre>{@code
 * static final OptionSpec<Long> ROWS = OptionSpec.integer("rows", 0, Long.MAX_VALUE)
 *         .in(OptionScope.TABLE).required().describedAs("Number of rows to produce.");
 * }</pre>
 *
 * @param <T> the Java type of the parsed value
 */
public final class OptionSpec<T> {
    private final String name;
    private final String typeDescription;
    private final Function<String, T> parser;
    private final Set<OptionScope> scopes;
    private final boolean required;
    private final T defaultValue;
    private final String description;
    private final boolean secret;
    private final boolean serverFiles;
    /** Options that cannot be set together with this one, on the same object. */
    private final Set<String> excluded;

    private OptionSpec(String name, String typeDescription, Function<String, T> parser, Set<OptionScope> scopes,
                       boolean required, T defaultValue, String description, boolean secret, boolean serverFiles,
                       Set<String> excluded) {
        this.name = name;
        this.typeDescription = typeDescription;
        this.parser = parser;
        this.scopes = scopes;
        this.required = required;
        this.defaultValue = defaultValue;
        this.description = description;
        this.secret = secret;
        this.serverFiles = serverFiles;
        this.excluded = excluded;
    }

    private static <T> OptionSpec<T> of(String name, String typeDescription, Function<String, T> parser) {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("option names are lower-case identifiers: \"" + name + "\"");
        }
        return new OptionSpec<>(name, typeDescription, parser, EnumSet.of(OptionScope.TABLE), false, null, "", false,
                false, Set.of());
    }

    /** Any string. */
    public static OptionSpec<String> string(String name) {
        return of(name, "a string", s -> s);
    }

    /** A whole number in [min, max]. */
    public static OptionSpec<Long> integer(String name, long min, long max) {
        return of(name, "an integer between " + min + " and " + max, s -> {
            long v;
            try {
                if (!s.trim().matches("[+-]?[0-9]+")) { // not other scripts' digits, which parseLong takes
                    throw new NumberFormatException(s);
                }
                v = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Expected an integer between " + min + " and " + max + ".");
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("Expected an integer between " + min + " and " + max + ".");
            }
            return v;
        });
    }

    /**
     * A boolean, spelled as PostgreSQL's {@code bool} input accepts it:
     * true/false, yes/no, on/off, 1/0, in any case, and any prefix of them
     * that is not ambiguous ({@code t}, {@code fal}, {@code of}, but not
     * {@code o}).
     */
    public static OptionSpec<Boolean> bool(String name) {
        return of(name, "a boolean", s -> {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (spells(v, "true", 1) || spells(v, "yes", 1) || v.equals("on") || v.equals("1")) {
                return true;
            }
            if (spells(v, "false", 1) || spells(v, "no", 1) || spells(v, "off", 2) || v.equals("0")) {
                return false;
            }
            throw new IllegalArgumentException("Expected a boolean: true or false.");
        });
    }

    /** Whether {@code v} is {@code word} or a prefix of it at least {@code shortest} long, as boolin allows. */
    private static boolean spells(String v, String word, int shortest) {
        return v.length() >= shortest && word.startsWith(v);
    }

    /** One of an enum's constants, spelled in lower case. */
    public static <E extends Enum<E>> OptionSpec<E> oneOf(String name, Class<E> type) {
        String choices = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        return of(name, "one of " + choices, s -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s.trim())) {
                    return e;
                }
            }
            throw new IllegalArgumentException("Expected one of: " + choices + ".");
        });
    }

    /** Any string, parsed by the given function, which throws IllegalArgumentException with a reason. */
    public static <T> OptionSpec<T> custom(String name, String typeDescription, Function<String, T> parser) {
        return of(name, typeDescription, Objects.requireNonNull(parser));
    }

    /** Where the option may be set (default: the foreign table). */
    public OptionSpec<T> in(OptionScope first, OptionScope... more) {
        return new OptionSpec<>(name, typeDescription, parser, EnumSet.of(first, more), required, defaultValue,
                description, secret, serverFiles, excluded);
    }

    /** The option must be given (at one of its scopes). */
    public OptionSpec<T> required() {
        return new OptionSpec<>(name, typeDescription, parser, scopes, true, defaultValue, description, secret, serverFiles,
                excluded);
    }

    public OptionSpec<T> defaultsTo(T value) {
        return new OptionSpec<>(name, typeDescription, parser, scopes, required, Objects.requireNonNull(value),
                description, secret, serverFiles, excluded);
    }

    public OptionSpec<T> describedAs(String text) {
        return new OptionSpec<>(name, typeDescription, parser, scopes, required, defaultValue, text, secret,
                serverFiles, excluded);
    }

    /**
     * The value never appears in EXPLAIN output or error messages
     * (passwords, tokens). Only user mappings hide their options from other
     * roles: a connector whose secret option may be set elsewhere (a server,
     * a table) is refused when loaded.
     */
    public OptionSpec<T> secret() {
        return new OptionSpec<>(name, typeDescription, parser, scopes, required, defaultValue, description, true,
                serverFiles, excluded);
    }

    /**
     * The option names files on the database server: as with file_fdw, only
     * superusers and members of pg_read_server_files may set it.
     */
    public OptionSpec<T> readsServerFiles() {
        return new OptionSpec<>(name, typeDescription, parser, scopes, required, defaultValue, description, secret,
                true, excluded);
    }

    /**
     * The option cannot be set on the same object as {@code other} (a
     * column's key and its path, say): CREATE or ALTER setting both is an
     * error (HV024). Declare it on either; it holds both ways.
     */
    public OptionSpec<T> excludes(OptionSpec<?> other) {
        Set<String> more = new java.util.HashSet<>(excluded);
        more.add(other.name());
        return new OptionSpec<>(name, typeDescription, parser, scopes, required, defaultValue, description, secret,
                serverFiles, Set.copyOf(more));
    }

    /** The names of the options {@link #excludes(OptionSpec) excluded} by this one. */
    public Set<String> excluded() {
        return excluded;
    }

    public boolean isServerFiles() {
        return serverFiles;
    }

    public String name() {
        return name;
    }

    public String typeDescription() {
        return typeDescription;
    }

    /** Where the option may be set, in {@link OptionScope}'s order (Set.copyOf's would change from run to run). */
    public Set<OptionScope> scopes() {
        return java.util.Collections.unmodifiableSet(EnumSet.copyOf(scopes));
    }

    public boolean isRequired() {
        return required;
    }

    /** The default, or {@code null}. */
    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return secret;
    }

    /** Parses a raw value; throws IllegalArgumentException saying what was expected. */
    public T parse(String raw) {
        return parser.apply(raw);
    }

    @Override
    public String toString() {
        return "option \"" + name + "\" (" + typeDescription + ")";
    }
}
