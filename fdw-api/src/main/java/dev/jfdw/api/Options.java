package dev.jfdw.api;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Option values, checked against the connector's {@link OptionSpec}s and
 * parsed. For a scan, the options of the wrapper, server, user mapping and
 * foreign table are merged, the more specific winning; each column has its
 * own.
 */
public final class Options {
    private final Map<String, Object> values;
    private final Map<String, String> raw;

    private Options(Map<String, Object> values, Map<String, String> raw) {
        this.values = values;
        this.raw = raw;
    }

    public static final Options EMPTY = new Options(Map.of(), Map.of());

    /** The value of an option, its default when not set, or {@code null}. */
    @SuppressWarnings("unchecked")
    public <T> T get(OptionSpec<T> spec) {
        Object v = values.get(spec.name());
        return v != null ? (T) v : spec.defaultValue();
    }

    public boolean isSet(OptionSpec<?> spec) {
        return values.containsKey(spec.name());
    }

    /** The options as given, by name. */
    public Map<String, String> raw() {
        return Collections.unmodifiableMap(raw);
    }

    /**
     * Checks options given at one scope, as CREATE/ALTER ... OPTIONS does:
     * every name must be declared for that scope and every value must parse.
     * Options required at this scope only must be present.
     *
     * @throws FdwException HV00D for an unknown option, HV024 for a bad value,
     *                      HV002 for a missing required option
     */
    public static Options validate(Collection<OptionSpec<?>> specs, OptionScope scope, Map<String, String> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            OptionSpec<?> spec = find(specs, e.getKey());
            if (spec == null || !spec.scopes().contains(scope)) {
                throw invalidName(specs, scope, e.getKey(), spec);
            }
            values.put(spec.name(), parse(spec, e.getValue()));
        }
        for (OptionSpec<?> spec : specs) {
            for (String other : spec.excluded()) {
                if (values.containsKey(spec.name()) && values.containsKey(other)) {
                    throw new FdwException(SqlState.FDW_INVALID_ATTRIBUTE_VALUE,
                            "options \"" + spec.name() + "\" and \"" + other + "\" cannot both be set")
                            .withHint("Keep one of them.");
                }
            }
            if (spec.isRequired() && spec.scopes().equals(java.util.Set.of(scope)) && !values.containsKey(spec.name())) {
                throw missing(spec);
            }
        }
        return new Options(values, new LinkedHashMap<>(given));
    }

    /**
     * Merges the options of several scopes, later ones winning (wrapper,
     * server, user mapping, table), and checks that required options are set.
     */
    public static Options merge(Collection<OptionSpec<?>> specs, List<Map<String, String>> levels) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (Map<String, String> level : levels) {
            raw.putAll(level);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            OptionSpec<?> spec = find(specs, e.getKey());
            if (spec != null) {
                values.put(spec.name(), parse(spec, e.getValue()));
            }
        }
        for (OptionSpec<?> spec : specs) {
            if (spec.isRequired() && !values.containsKey(spec.name()) && !spec.scopes().contains(OptionScope.COLUMN)) {
                throw missing(spec);
            }
        }
        return new Options(values, raw);
    }

    /**
     * Parses the options it knows and ignores the others, checking nothing
     * else: for options of objects validated earlier.
     */
    public static Options parse(Collection<OptionSpec<?>> specs, Map<String, String> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            OptionSpec<?> spec = find(specs, e.getKey());
            if (spec != null) {
                values.put(spec.name(), parse(spec, e.getValue()));
            }
        }
        return new Options(values, new LinkedHashMap<>(given));
    }

    private static OptionSpec<?> find(Collection<OptionSpec<?>> specs, String name) {
        for (OptionSpec<?> s : specs) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static Object parse(OptionSpec<?> spec, String value) {
        try {
            return spec.parse(value);
        } catch (IllegalArgumentException e) {
            String shown = spec.isSecret() ? "(secret)" : "\"" + value + "\"";
            throw new FdwException(SqlState.FDW_INVALID_ATTRIBUTE_VALUE,
                    "invalid value for option \"" + spec.name() + "\": " + shown)
                    .withDetail(e.getMessage());
        }
    }

    private static FdwException invalidName(Collection<OptionSpec<?>> specs, OptionScope scope, String name,
                                            OptionSpec<?> elsewhere) {
        String valid = specs.stream().filter(s -> s.scopes().contains(scope)).map(OptionSpec::name)
                .sorted().collect(Collectors.joining(", "));
        FdwException e = new FdwException(SqlState.FDW_INVALID_OPTION_NAME, "invalid option \"" + name + "\"");
        String hint = valid.isEmpty()
                ? "There are no valid options in this context."
                : "Valid options in this context are: " + valid + ".";
        if (elsewhere != null) {
            hint = "Option \"" + name + "\" belongs on the "
                    + elsewhere.scopes().stream().map(OptionScope::label).collect(Collectors.joining(" or "))
                    + ". " + hint;
        }
        return e.withHint(hint);
    }

    private static FdwException missing(OptionSpec<?> spec) {
        return new FdwException(SqlState.FDW_DYNAMIC_PARAMETER_VALUE_NEEDED,
                "option \"" + spec.name() + "\" is required")
                .withHint("Set it with OPTIONS (" + spec.name() + " '...') on the "
                        + spec.scopes().stream().map(OptionScope::label).collect(Collectors.joining(" or ")) + ".");
    }

    @Override
    public String toString() {
        return values.keySet().toString();
    }
}
