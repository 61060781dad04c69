-- The jfdw demo, run by `./jfdw demo` in the development cluster.
\pset footer off
\echo
\echo '== Make a connector usable: one function call creates its wrapper'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS jfdw;
DROP SCHEMA IF EXISTS demo CASCADE;
DROP SCHEMA IF EXISTS demo_import CASCADE;
DROP SERVER IF EXISTS demo_gen CASCADE;
DROP SERVER IF EXISTS demo_json CASCADE;
RESET client_min_messages;
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_foreign_data_wrapper WHERE fdwname = 'generator') THEN
    PERFORM jfdw.create_wrapper('generator');
  END IF;
END $$;
CREATE SCHEMA demo;
CREATE SERVER demo_gen FOREIGN DATA WRAPPER generator;
\echo 'CREATE FOREIGN TABLE demo.readings (id int8, label text, score float8, ts timestamptz)'
\echo '  SERVER demo_gen OPTIONS (rows ''1000000'');'
CREATE FOREIGN TABLE demo.readings (id int8, label text, score float8, ts timestamptz)
  SERVER demo_gen OPTIONS (rows '1000000');

\echo
\echo '== A few rows, written by Java straight into PostgreSQL''s tuple slots'
SELECT * FROM demo.readings LIMIT 5;

\echo
\echo '== An aggregate over a million rows'
\timing on
SELECT count(*), round(avg(score)::numeric, 2) AS avg_score, max(ts) FROM demo.readings;
\timing off

\echo
\echo '== Joined with an ordinary table'
CREATE TABLE demo.labels AS SELECT n::int8 AS id, 'label #' || n AS name FROM generate_series(1, 1000000, 250000) n;
SELECT r.id, r.label, l.name, r.score FROM demo.readings r JOIN demo.labels l USING (id) ORDER BY r.id;

\echo
\echo '== The plan'
EXPLAIN (VERBOSE, COSTS OFF) SELECT label FROM demo.readings WHERE id < 10;

\echo
\echo '== Bad options are caught when they are set, as postgres_fdw does'
\set ON_ERROR_STOP off
CREATE FOREIGN TABLE demo.oops (id int8) SERVER demo_gen OPTIONS (rowz '10');
\set ON_ERROR_STOP on

\echo
\echo '== The JSON connector: a directory of NDJSON and JSON files, nested values by path'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_foreign_data_wrapper WHERE fdwname = 'json') THEN
    PERFORM jfdw.create_wrapper('json');
  END IF;
END $$;
CREATE SERVER demo_json FOREIGN DATA WRAPPER json;
\set events_dir :demo_data '/events'
\echo 'CREATE FOREIGN TABLE demo.events (id int8, name text OPTIONS (path ''user.name''),'
\echo '  city text OPTIONS (path ''user.city''), kind text, at timestamptz, amount numeric, tags jsonb)'
\echo '  SERVER demo_json OPTIONS (files ''<demo data>/events'');'
CREATE FOREIGN TABLE demo.events (id int8, name text OPTIONS (path 'user.name'),
  city text OPTIONS (path 'user.city'), kind text, at timestamptz, amount numeric, tags jsonb)
  SERVER demo_json OPTIONS (files :'events_dir');
SELECT * FROM demo.events;
SELECT name, sum(amount) AS spent FROM demo.events WHERE kind = 'purchase' GROUP BY name ORDER BY name;
EXPLAIN (COSTS OFF) SELECT id FROM demo.events WHERE kind = 'purchase' AND amount > 20;

\echo
\echo '== IMPORT FOREIGN SCHEMA: a table per file, types inferred from the records'
CREATE SCHEMA demo_import;
IMPORT FOREIGN SCHEMA whatever FROM SERVER demo_json INTO demo_import OPTIONS (directory :'events_dir');
SELECT c.table_name AS "table", column_name, data_type FROM information_schema.columns c
  WHERE table_schema = 'demo_import' ORDER BY 1, ordinal_position;

\echo
\echo '== The JVM this session runs'
SELECT jfdw.status();
