/* jfdw--0.1.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION jfdw" to load this file. \quit

COMMENT ON SCHEMA @extschema@ IS 'jfdw: foreign data wrappers written in Java';

-- The state of this session's JVM, as JSON.  Never starts a JVM.
CREATE FUNCTION @extschema@.status()
RETURNS json
AS 'MODULE_PATHNAME', 'jfdw_status'
LANGUAGE C STRICT VOLATILE;

-- Makes a connector usable: creates its handler and validator functions,
-- @extschema@.<connector>_handler() and @extschema@.<connector>_validator(text[], oid),
-- which share one C symbol and find the connector by their own name, and a
-- foreign data wrapper using them (named after the connector unless given).
CREATE FUNCTION @extschema@.create_wrapper(connector text, wrapper name DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    IF connector IS NULL OR connector !~ '^[a-z][a-z0-9_]{0,40}$' THEN
        RAISE EXCEPTION 'invalid connector name "%"', connector
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Connector names are lower-case letters, digits and underscores.';
    END IF;
    EXECUTE format('CREATE FUNCTION @extschema@.%I() RETURNS fdw_handler '
                   'AS %L, %L LANGUAGE C STRICT',
                   connector || '_handler', 'MODULE_PATHNAME', 'jfdw_handler');
    EXECUTE format('CREATE FUNCTION @extschema@.%I(text[], oid) RETURNS void '
                   'AS %L, %L LANGUAGE C STRICT',
                   connector || '_validator', 'MODULE_PATHNAME', 'jfdw_validator');
    EXECUTE format('CREATE FOREIGN DATA WRAPPER %I HANDLER @extschema@.%I VALIDATOR @extschema@.%I',
                   coalesce(wrapper, connector), connector || '_handler',
                   connector || '_validator');
END
$$;
