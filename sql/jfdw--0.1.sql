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

-- The options a connector declares, with where they may be set and what they
-- mean (options_json: the same as a JSON array).  Starts the JVM: superuser
-- only, unless granted.
CREATE FUNCTION jfdw.options_json(connector text)
RETURNS json
AS 'MODULE_PATHNAME', 'jfdw_options'
LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION jfdw.options(connector text)
RETURNS TABLE (name text, type text, scopes text[], required boolean, default_value text,
               secret boolean, description text)
LANGUAGE sql STRICT VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT * FROM json_to_recordset(jfdw.options_json(connector))
        AS o(name text, type text, scopes text[], required boolean, default_value text,
             secret boolean, description text)
$$;

REVOKE ALL ON FUNCTION jfdw.options_json(text), jfdw.options(text) FROM PUBLIC;

-- Makes a connector usable: creates its handler and validator functions,
-- jfdw.<connector>_handler() and jfdw.<connector>_validator(text[], oid),
-- which share one C symbol and find the connector by their own name, and a
-- foreign data wrapper using them (named after the connector unless given).
-- A second wrapper for the same connector shares the functions.  They
-- depend on the extension: DROP EXTENSION jfdw CASCADE drops them, with the
-- wrappers and everything built on them.  PostgreSQL calls handlers and
-- validators itself, with no privilege check: nobody else need call them
-- (a call starts a JVM, and a validator's errors echo the values it is given).
CREATE FUNCTION jfdw.create_wrapper(connector text, wrapper name DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f record;
BEGIN
    IF connector IS NULL OR connector !~ '^[a-z][a-z0-9_]{0,40}$' THEN
        RAISE EXCEPTION 'invalid connector name "%"', connector
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Connector names are lower-case letters, digits and underscores.';
    END IF;
    FOR f IN SELECT connector || suffix AS name, args, returns, symbol
             FROM (VALUES ('_handler', '', 'fdw_handler', 'jfdw_handler'),
                          ('_validator', 'text[], oid', 'void', 'jfdw_validator'))
                  AS fn(suffix, args, returns, symbol)
    LOOP
        IF to_regprocedure(format('jfdw.%I(%s)', f.name, f.args)) IS NULL THEN
            EXECUTE format('CREATE FUNCTION jfdw.%I(%s) RETURNS %s AS %L, %L LANGUAGE C STRICT',
                           f.name, f.args, f.returns, 'MODULE_PATHNAME', f.symbol);
            EXECUTE format('ALTER FUNCTION jfdw.%I(%s) DEPENDS ON EXTENSION jfdw', f.name, f.args);
            EXECUTE format('REVOKE ALL ON FUNCTION jfdw.%I(%s) FROM PUBLIC', f.name, f.args);
        END IF;
    END LOOP;
    EXECUTE format('CREATE FOREIGN DATA WRAPPER %I HANDLER jfdw.%I VALIDATOR jfdw.%I',
                   coalesce(wrapper, connector), connector || '_handler',
                   connector || '_validator');
END
$$;
