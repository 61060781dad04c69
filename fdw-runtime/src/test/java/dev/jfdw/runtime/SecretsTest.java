package dev.jfdw.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jfdw.api.OptionSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private static final OptionSpec<String> PASSWORD = OptionSpec.string("password").secret();
    private static final OptionSpec<String> USER = OptionSpec.string("user");

    @Test
    void aSecretIsMaskedWhereverItAppears() {
        Secrets.remember(List.of(PASSWORD, USER), Map.of("password", "Tr0ub4dor", "user", "alice"));
        assertEquals("login as alice with ******** refused (Detail: ********, ********x)",
                Secrets.mask("login as alice with Tr0ub4dor refused (Detail: Tr0ub4dor, Tr0ub4dorx)"));
    }

    @Test
    void aShortSecretIsMaskedWhereItStandsAlone() {
        Secrets.remember(List.of(PASSWORD), Map.of("password", "q7!"));
        assertEquals("postgresql://bob:********@db/x, token ********.", Secrets.mask("postgresql://bob:q7!@db/x, token q7!."));
        // inside a word it is only letters of that word
        assertEquals("aq7!b and q7!x", Secrets.mask("aq7!b and q7!x"));
        Secrets.remember(List.of(PASSWORD), Map.of("password", "42"));
        assertEquals("line ********, byte 420", Secrets.mask("line 42, byte 420"));
    }
}
