/* jfdw--0.1.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION jfdw" to load this file. \quit

-- Created here, not by the control file's schema setting, so that the schema
-- belongs to the extension and DROP EXTENSION removes it.
CREATE SCHEMA jfdw;
COMMENT ON SCHEMA jfdw IS 'jfdw: foreign data wrappers written in Java';

-- The state of this session's JVM, as JSON.  Never starts a JVM.
CREATE FUNCTION jfdw.status()
RETURNS json
AS 'MODULE_PATHNAME', 'jfdw_status'
LANGUAGE C STRICT VOLATILE;

-- Makes a connector usable: creates its handler and validator functions,
-- jfdw.<connector>_handler() and jfdw.<connector>_validator(text[], oid),
-- which share one C symbol and find the connector by their own name, and a
-- foreign data wrapper using them (named after the connector unless given).
-- A second wrapper for the same connector shares the functions.  They
-- depend on the extension: DROP EXTENSION jfdw CASCADE drops them, with the
-- wrappers and everything built on them.
CREATE FUNCTION jfdw.create_wrapper(connector text, wrapper name DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF connector IS NULL OR connector !~ '^[a-z][a-z0-9_]{0,40}$' THEN
        RAISE EXCEPTION 'invalid connector name "%"', connector
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Connector names are lower-case letters, digits and underscores.';
    END IF;
    IF to_regprocedure(format('jfdw.%I()', connector || '_handler')) IS NULL THEN
        EXECUTE format('CREATE FUNCTION jfdw.%I() RETURNS fdw_handler '
                       'AS %L, %L LANGUAGE C STRICT',
                       connector || '_handler', 'MODULE_PATHNAME', 'jfdw_handler');
        EXECUTE format('ALTER FUNCTION jfdw.%I() DEPENDS ON EXTENSION jfdw',
                       connector || '_handler');
    END IF;
    IF to_regprocedure(format('jfdw.%I(text[], oid)', connector || '_validator')) IS NULL THEN
        EXECUTE format('CREATE FUNCTION jfdw.%I(text[], oid) RETURNS void '
                       'AS %L, %L LANGUAGE C STRICT',
                       connector || '_validator', 'MODULE_PATHNAME', 'jfdw_validator');
        EXECUTE format('ALTER FUNCTION jfdw.%I(text[], oid) DEPENDS ON EXTENSION jfdw',
                       connector || '_validator');
    END IF;
    EXECUTE format('CREATE FOREIGN DATA WRAPPER %I HANDLER jfdw.%I VALIDATOR jfdw.%I',
                   coalesce(wrapper, connector), connector || '_handler',
                   connector || '_validator');
END
$$;
