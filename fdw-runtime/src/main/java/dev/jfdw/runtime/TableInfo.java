package dev.jfdw.runtime;

import dev.jfdw.api.Column;
import dev.jfdw.api.FdwException;
import dev.jfdw.api.OptionScope;
import dev.jfdw.api.OptionSpec;
import dev.jfdw.api.Options;
import dev.jfdw.api.SqlState;
import dev.jfdw.api.Table;
import dev.jfdw.api.fdw.Attribute;
import dev.jfdw.runtime.Scopes.Scope;
import dev.jfdw.runtime.Views.ForeignDataWrapperView;
import dev.jfdw.runtime.Views.ForeignServerView;
import dev.jfdw.runtime.Views.ForeignTableView;
import dev.jfdw.runtime.Views.TupleDescView;
import dev.jfdw.runtime.Views.UserMappingView;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A foreign table as the Connector SPI presents it: its columns, and the
 * options of wrapper, server, user mapping and table merged and typed. Read
 * from the catalogs at planning and again at execution, as file_fdw does,
 * so a cached plan never carries options.
 */
record TableInfo(Table table, Options options) {

    static TableInfo load(int relid, int userId, ConnectorFdw fdw) {
        List<OptionSpec<?>> specs = fdw.specs();
        Scope scope = Scopes.current();
        ForeignTableView ft = ForeignTableView.of(Pg.foreignTable(relid), scope);
        ForeignServerView server = ForeignServerView.of(Pg.foreignServer(ft.serverId()), scope);
        ForeignDataWrapperView wrapper = ForeignDataWrapperView.of(Pg.foreignWrapper(server.fdwId()), scope);
        checkValidator(wrapper, fdw);
        MemorySegment um = Pg.userMapping(userId != 0 ? userId : Pg.currentUser(), server.serverId());
        Map<String, String> mapping = um.equals(MemorySegment.NULL) ? Map.of() : UserMappingView.of(um, scope).options();
        Secrets.remember(specs, mapping);
        Secrets.remember(specs, server.options());
        Options options = Options.merge(specs, List.of(wrapper.options(), server.options(), mapping, ft.options()));

        Pg.RelationInfo rel = Pg.relationInfo(relid);
        TupleDescView desc = TupleDescView.of(rel.tupleDesc(), scope);
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < desc.size(); i++) {
            Attribute a = desc.attribute(i);
            if (a.isDropped()) {
                continue;
            }
            Map<String, String> columnOptions = Views.options(Pg.columnOptions(relid, a.number()), scope);
            // a domain column has no modifier of its own: its values must fit its base type's
            Pg.ColumnType type = Pg.columnType(a.typeId(), a.typmod());
            columns.add(new Column(a.name(), i, type.type(), type.typmod(),
                    Options.validate(specs, OptionScope.COLUMN, columnOptions)));
        }
        return new TableInfo(new Table(relid, rel.name(), columns), options);
    }

    /**
     * Options are trusted because the connector's validator checked them as
     * they were set, privileges to name server files included: a wrapper
     * made with another validator, or none, would let anyone set anything.
     */
    private static void checkValidator(ForeignDataWrapperView wrapper, ConnectorFdw fdw) {
        if (!fdw.isOwnValidator(wrapper.validator())) {
            String connector = fdw.name();
            throw new FdwException(SqlState.FDW_ERROR, "foreign-data wrapper \"" + wrapper.name()
                    + "\" does not validate its options with jfdw." + connector + "_validator")
                    .withDetail("jfdw reads only options its connector checked when they were set.")
                    .withHint("Create wrappers with jfdw.create_wrapper(), or ALTER FOREIGN DATA WRAPPER "
                            + wrapper.name() + " VALIDATOR jfdw." + connector + "_validator.");
        }
    }
}
