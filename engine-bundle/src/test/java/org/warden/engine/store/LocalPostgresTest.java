package org.warden.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

/** The PostgreSQL of the tests: there, on loopback, and every fresh database is a database of its own. */
class LocalPostgresTest {

    @Test
    void freshDatabasesAreDistinctAndEmpty() throws SQLException {
        LocalPostgres pg = LocalPostgres.get();
        DataSource a = pg.freshDatabase("LocalPostgresTest-A");
        DataSource b = pg.freshDatabase("LocalPostgresTest-A");

        assertThat(pg.url(a)).isNotEqualTo(pg.url(b));
        try (Connection c = a.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE probe (id integer PRIMARY KEY)");
            s.execute("INSERT INTO probe VALUES (1)");
            assertThat(queryLong(s, "SELECT count(*) FROM probe")).isEqualTo(1);
            assertThat(queryString(s, "SELECT current_database()")).startsWith("localpostgrestest_a_");
        }
        try (Connection c = b.getConnection(); Statement s = c.createStatement()) {
            assertThat(queryString(s, "SELECT current_database()")).startsWith("localpostgrestest_a_");
            assertThat(queryString(s, "SELECT to_regclass('probe')::text")).isNull();
            assertThat(queryLong(s, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
        }
    }

    @Test
    void isPostgresOnLoopback() throws SQLException {
        LocalPostgres pg = LocalPostgres.get();
        assertThat(pg.url()).startsWith("jdbc:postgresql://");
        DataSource ds = pg.freshDatabase("probe");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThat(queryString(s, "SELECT version()")).startsWith("PostgreSQL");
            assertThat(queryString(s, "SELECT host(inet_server_addr())")).isEqualTo("127.0.0.1");
            assertThat(queryString(s, "SELECT current_user")).isEqualTo(pg.user());
        }
    }

    @Test
    void sameServerForTheWholeJvm() {
        assertThat(LocalPostgres.get()).isSameAs(LocalPostgres.get());
    }

    @Test
    void databaseNamesArePlainLowerCaseIdentifiers() {
        assertThat(LocalPostgres.databaseName("My Test.Case", 7)).matches("my_test_case_7_[0-9a-f]{8}");
        assertThat(LocalPostgres.databaseName("9lives", 1)).matches("db_9lives_1_[0-9a-f]{8}");
        assertThat(LocalPostgres.databaseName("x".repeat(100), Integer.MAX_VALUE)).hasSizeLessThanOrEqualTo(63);
    }

    private static String queryString(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private static long queryLong(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        }
    }
}
