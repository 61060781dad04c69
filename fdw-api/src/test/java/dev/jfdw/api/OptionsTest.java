package dev.jfdw.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {
    enum Mode { STRICT, LENIENT }

    static final OptionSpec<String> PATH = OptionSpec.string("path").required();
    static final OptionSpec<Long> SAMPLE = OptionSpec.integer("sample", 1, 100)
            .in(OptionScope.SERVER, OptionScope.TABLE).defaultsTo(10L);
    static final OptionSpec<Mode> MODE = OptionSpec.oneOf("mode", Mode.class).defaultsTo(Mode.STRICT);
    static final OptionSpec<Boolean> STRICT = OptionSpec.bool("strict").in(OptionScope.COLUMN);
    static final OptionSpec<String> PASSWORD = OptionSpec.string("password").in(OptionScope.USER_MAPPING).secret();
    static final List<OptionSpec<?>> SPECS = List.of(PATH, SAMPLE, MODE, STRICT, PASSWORD);

    @Test
    void validOptionsAreParsed() {
        Options o = Options.validate(SPECS, OptionScope.TABLE, Map.of("path", "/x", "sample", " 42 ", "mode", "Lenient"));
        assertEquals("/x", o.get(PATH));
        assertEquals(42L, o.get(SAMPLE));
        assertEquals(Mode.LENIENT, o.get(MODE));
        assertTrue(o.isSet(SAMPLE));
    }

    @Test
    void unknownOptionNamesTheValidOnes() {
        FdwException e = assertThrows(FdwException.class,
                () -> Options.validate(SPECS, OptionScope.TABLE, Map.of("path", "/x", "pathh", "/y")));
        assertEquals(SqlState.FDW_INVALID_OPTION_NAME, e.sqlState());
        assertEquals("invalid option \"pathh\"", e.getMessage());
        assertEquals("Valid options in this context are: mode, path, sample.", e.hint());
    }

    @Test
    void optionOnTheWrongObjectSaysWhereItBelongs() {
        FdwException e = assertThrows(FdwException.class,
                () -> Options.validate(SPECS, OptionScope.SERVER, Map.of("path", "/x")));
        assertEquals(SqlState.FDW_INVALID_OPTION_NAME, e.sqlState());
        assertTrue(e.hint().startsWith("Option \"path\" belongs on the foreign table."), e.hint());
    }

    @Test
    void noValidOptionsHasItsOwnHint() {
        FdwException e = assertThrows(FdwException.class,
                () -> Options.validate(List.of(), OptionScope.WRAPPER, Map.of("x", "1")));
        assertEquals("There are no valid options in this context.", e.hint());
    }

    @Test
    void optionsThatExcludeEachOtherAreRefusedTogether() {
        OptionSpec<String> key = OptionSpec.string("key").in(OptionScope.COLUMN);
        OptionSpec<String> path = OptionSpec.string("path").in(OptionScope.COLUMN).excludes(key);
        List<OptionSpec<?>> specs = List.of(key, path);
        FdwException e = assertThrows(FdwException.class,
                () -> Options.validate(specs, OptionScope.COLUMN, Map.of("key", "a", "path", "b")));
        assertEquals(SqlState.FDW_INVALID_ATTRIBUTE_VALUE, e.sqlState());
        assertEquals("options \"path\" and \"key\" cannot both be set", e.getMessage());
        assertEquals("a", Options.validate(specs, OptionScope.COLUMN, Map.of("key", "a")).get(key));
        assertEquals("b", Options.validate(specs, OptionScope.COLUMN, Map.of("path", "b")).get(path));
    }

    @Test
    void badValueSaysWhatWasExpected() {
        FdwException e = assertThrows(FdwException.class,
                () -> Options.validate(SPECS, OptionScope.TABLE, Map.of("path", "/x", "sample", "1000")));
        assertEquals(SqlState.FDW_INVALID_ATTRIBUTE_VALUE, e.sqlState());
        assertEquals("invalid value for option \"sample\": \"1000\"", e.getMessage());
        assertEquals("Expected an integer between 1 and 100.", e.detail());
        FdwException arabic = assertThrows(FdwException.class, // Long.parseLong takes any script's digits
                () -> Options.validate(SPECS, OptionScope.TABLE, Map.of("path", "/x", "sample", "\u0663")));
        assertEquals("Expected an integer between 1 and 100.", arabic.detail());
        FdwException mode = assertThrows(FdwException.class,
                () -> Options.validate(SPECS, OptionScope.TABLE, Map.of("path", "/x", "mode", "loose")));
        assertEquals("Expected one of: strict, lenient.", mode.detail());
    }

    @Test
    void secretValuesAreNeverShown() {
        OptionSpec<Long> pin = OptionSpec.integer("pin", 0, 9999).in(OptionScope.USER_MAPPING).secret();
        FdwException e = assertThrows(FdwException.class,
                () -> Options.validate(List.of(pin), OptionScope.USER_MAPPING, Map.of("pin", "hunter2")));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("(secret)"));
        assertFalse(Options.validate(SPECS, OptionScope.USER_MAPPING, Map.of("password", "hunter2")).toString()
                .contains("hunter2"));
    }

    @Test
    void requiredOptionOfASingleScopeIsCheckedAtThatScope() {
        FdwException e = assertThrows(FdwException.class,
                () -> Options.validate(SPECS, OptionScope.TABLE, Map.of("sample", "5")));
        assertEquals(SqlState.FDW_DYNAMIC_PARAMETER_VALUE_NEEDED, e.sqlState());
        assertEquals("option \"path\" is required", e.getMessage());
        Options.validate(SPECS, OptionScope.SERVER, Map.of("sample", "5"));
    }

    @Test
    void mergeLetsTheMoreSpecificLevelWin() {
        Options o = Options.merge(SPECS, List.of(Map.of(), Map.of("sample", "5"), Map.of(), Map.of("path", "/t",
                "sample", "7")));
        assertEquals(7L, o.get(SAMPLE));
        assertEquals(Mode.STRICT, o.get(MODE), "the default");
        assertNull(o.get(PASSWORD));
        assertThrows(FdwException.class, () -> Options.merge(SPECS, List.of(Map.of("sample", "5"))));
    }

    @Test
    void booleansAreSpelledAsPostgresSpellsThem() {
        OptionSpec<Boolean> b = OptionSpec.bool("b");
        for (String t : List.of("true", "ON", "yes", "1", "t", "tr", "Y", "ye", " true ")) {
            assertTrue(b.parse(t), t);
        }
        for (String f : List.of("false", "off", "NO", "0", "f", "fal", "n", "of")) {
            assertFalse(b.parse(f), f);
        }
        // as boolin: an ambiguous prefix, a word longer than the spelling, or none at all is no boolean
        for (String bad : List.of("maybe", "o", "", "truee", "onn", "10", "yess")) {
            assertThrows(IllegalArgumentException.class, () -> b.parse(bad), bad);
        }
    }

    @Test
    void optionNamesAreIdentifiers() {
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.string("Path"));
        assertThrows(IllegalArgumentException.class, () -> OptionSpec.string("a-b"));
    }
}
