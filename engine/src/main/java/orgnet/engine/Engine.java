package orgnet.engine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * Runs Neo4j Community embedded, with Bolt on 127.0.0.1 only, authentication on and the usage
 * report off.
 *
 * <p>Usage: {@code Engine HOME PORT PAGECACHE}. The store lives under {@code HOME/data}, the log in
 * {@code HOME/logs}. The password is read from {@code HOME/password} (written by the Python side
 * with owner-only permissions) and applied to the {@code neo4j} user at every start, so the file is
 * the single source of truth. The process prints {@code READY} once Bolt accepts connections and
 * shuts the store down cleanly on SIGTERM.
 */
public final class Engine {

  private Engine() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: Engine HOME PORT PAGECACHE");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    String pageCache = args[2];
    String password = Files.readString(home.resolve("password"), StandardCharsets.UTF_8).strip();

    DatabaseManagementServiceBuilder builder =
        new DatabaseManagementServiceBuilder(home.resolve("data"));
    // Neo4j's own settings for this home, when it has them (the tests' engines plan each query
    // once: see tests/conftest.py). Read first, so that none of those below can be changed.
    Path settings = home.resolve("neo4j.conf");
    if (Files.isRegularFile(settings)) {
      try {
        Config.newBuilder().fromFile(settings).build(); // its problems said as the file's own
      } catch (RuntimeException e) {
        System.out.println(settings + ": " + e.getMessage()); // the line the error names
        System.exit(1);
      }
      builder.loadPropertiesFromFile(settings);
    }
    DatabaseManagementService service =
        builder
            .setConfig(GraphDatabaseSettings.auth_enabled, true)
            .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.parse(pageCache))
            .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
            // Nothing about the store (its counts, its size) leaves the machine: Neo4j's usage
            // report would send them to Neo4j every day.
            .setConfig(GraphDatabaseSettings.udc_enabled, false)
            // A read's time budget (the HTTP API's) is enforced within a tenth of a second,
            // not the default two.
            .setConfig(
                GraphDatabaseSettings.transaction_monitor_check_interval,
                java.time.Duration.ofMillis(100))
            // Stopping waits for Bolt's network threads to be quiet this long (5 s by default),
            // after the databases are closed and every connection with them.
            .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
            .setConfig(
                BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
            .build();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.shutdown();
                  stopped.countDown();
                },
                "orgnet-engine-shutdown"));

    try {
      setPassword(service, password);
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1); // the shutdown hook closes the store
    }

    System.out.println("READY bolt://127.0.0.1:" + port);
    System.out.flush();
    stopped.await();
  }

  /** Make the password file's content the neo4j user's password (a no-op when it already is). */
  private static void setPassword(DatabaseManagementService service, String password) {
    GraphDatabaseService system = service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
    try {
      system.executeTransactionally(
          "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
          Map.of("password", password));
    } catch (QueryExecutionException e) {
      if (e.getMessage() == null || !e.getMessage().contains("cannot be the same")) {
        throw e;
      }
    }
  }
}
