package dev.jfdw.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jfdw.api.Connector;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Scan;
import dev.jfdw.api.ScanContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectorFdwTest {
    private static Connector withOption(OptionSpec<?> spec) {
        return new Connector() {
            @Override
            public String name() {
                return "secretive";
            }

            @Override
            public List<OptionSpec<?>> options() {
                return List.of(spec);
            }

            @Override
            public Scan openScan(ScanContext context) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** The catalogs of wrappers, servers and tables are readable by every role: no place for a secret. */
    @Test
    void aSecretOutsideUserMappingsIsRefused() {
        var e = assertThrows(IllegalStateException.class, () -> new ConnectorFdw(withOption(
                OptionSpec.string("password").in(OptionScope.SERVER, OptionScope.USER_MAPPING).secret())));
        assertEquals("connector secretive: secret option \"password\" may be set in [SERVER, USER_MAPPING], whose "
                + "options every role can read; secrets belong in user mappings alone", e.getMessage());
        new ConnectorFdw(withOption(OptionSpec.string("password").in(OptionScope.USER_MAPPING).secret()));
    }
}
