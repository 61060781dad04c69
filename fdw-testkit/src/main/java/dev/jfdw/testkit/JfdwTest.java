package dev.jfdw.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against a real PostgreSQL cluster with jfdw: test
 * methods (and constructors) may take a {@link PostgresCluster} parameter.
 * One cluster serves the whole test run; it is started on first use with the
 * connector JARs listed in the system property {@code jfdw.test.connectors}
 * (path-separated), and {@code CREATE EXTENSION jfdw} done.
 */
@Target(ElementType.TYPE)
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(JfdwExtension.class)
public @interface JfdwTest {
}
