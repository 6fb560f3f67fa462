package orgnet.engine;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.neo4j.cli.AdminTool;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;

/**
 * Runs Neo4j Community embedded, with Bolt on 127.0.0.1 only, authentication on and the usage
 * report off.
 *
 * <p>Usage: {@code Engine HOME PORT PAGECACHE}. The store lives under {@code HOME/data}, the log in
 * {@code HOME/logs}. The password is read from {@code HOME/password} (written by the Python side
 * with owner-only permissions) and applied to the {@code neo4j} user at every start, so the file is
 * the single source of truth. The process prints {@code READY} once Bolt accepts connections and
 * shuts the store down cleanly on SIGTERM.
 *
 * <p>When the home holds the named pipe {@code HOME/control} (made by the Python side, the owner's
 * alone), the engine takes requests from it, a line each. {@code import DATABASE ARGUMENTS} runs
 * Neo4j's offline importer on its own store without leaving the JVM: the database service is shut
 * down, the importer run with the arguments the file {@code ARGUMENTS} holds (one a line; its
 * output appended to {@code HOME/logs/import.log}), what a failed import left of {@code DATABASE}
 * removed, and the service opened again. It prints {@code IMPORTED} and the importer's exit code,
 * then {@code READY} once Bolt answers again. The code the JVM has compiled stays, which a new JVM
 * would compile again: a first load's derived links and steps are worked out the sooner.
 */
public final class Engine {

  private final Path home;
  private final int port;
  private final String pageCache;
  private final Path settings;
  // The service, replaced by an import; guarded by itself with the closing flag, so that a stop
  // (the shutdown hook) waits for an import under way and never meets a half-opened service.
  private final Object lifecycle = new Object();
  private DatabaseManagementService service;
  private boolean closing;

  private Engine(Path home, int port, String pageCache, Path settings) {
    this.home = home;
    this.port = port;
    this.pageCache = pageCache;
    this.settings = settings;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: Engine HOME PORT PAGECACHE");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
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
    } else {
      settings = null;
    }
    Engine engine = new Engine(home, Integer.parseInt(args[1]), args[2], settings);

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  engine.close();
                  stopped.countDown();
                },
                "orgnet-engine-shutdown"));
    try {
      synchronized (engine.lifecycle) {
        engine.service = engine.open();
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
    Path control = home.resolve("control");
    // A named pipe (neither a file, a folder nor a link): a file left there is no request.
    if (Files.exists(control, LinkOption.NOFOLLOW_LINKS)
        && Files.readAttributes(control, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .isOther()) {
      RandomAccessFile pipe = new RandomAccessFile(control.toFile(), "rw"); // never blocks
      Thread listening = new Thread(() -> engine.listen(pipe), "orgnet-engine-control");
      listening.setDaemon(true);
      listening.start();
    }
    engine.ready();
    stopped.await();
  }

  /** The database service of the home, its password set (shut down again when it cannot be). */
  private DatabaseManagementService open() throws IOException {
    String password = Files.readString(home.resolve("password"), StandardCharsets.UTF_8).strip();
    DatabaseManagementServiceBuilder builder =
        new DatabaseManagementServiceBuilder(home.resolve("data"));
    if (settings != null) {
      builder.loadPropertiesFromFile(settings);
    }
    DatabaseManagementService opened =
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
    try {
      setPassword(opened, password);
    } catch (RuntimeException e) {
      opened.shutdown();
      throw e;
    }
    return opened;
  }

  private void ready() {
    System.out.println("READY bolt://127.0.0.1:" + port);
    System.out.flush();
  }

  private void close() {
    synchronized (lifecycle) {
      closing = true;
      if (service != null) {
        service.shutdown();
        service = null;
      }
    }
  }

  /**
   * Take the control pipe's requests, a line each, until the JVM ends. The pipe is open to read
   * and to write ({@code pipe}): with a writer of its own it never reads an end, so a request is
   * never lost between the end of one writer's and the opening of the next's, and a writer finds
   * it open from the start (READY comes after it) until the JVM ends.
   */
  private void listen(RandomAccessFile pipe) {
    try (BufferedReader requests =
        new BufferedReader(
            new InputStreamReader(new FileInputStream(pipe.getFD()), StandardCharsets.UTF_8))) {
      String line;
      while ((line = requests.readLine()) != null) {
        String[] words = line.split(" ", 3);
        // A database's name as Neo4j allows it: never a path.
        if (words.length == 3
            && words[0].equals("import")
            && words[1].matches("[a-z0-9][a-z0-9.-]{0,62}")) {
          try {
            importInPlace(words[1], Path.of(words[2]));
          } catch (Exception e) { // the service could not be opened again: the JVM ends
            e.printStackTrace();
            System.exit(1);
          }
        } else {
          System.out.println("REFUSED " + line);
          System.out.flush();
        }
      }
    } catch (IOException e) {
      e.printStackTrace();
    }
  }

  /** The offline importer run on this engine's store, the service shut down meanwhile. */
  private void importInPlace(String database, Path arguments) throws IOException {
    String[] given;
    try {
      given = Files.readAllLines(arguments, StandardCharsets.UTF_8).toArray(String[]::new);
    } catch (IOException e) { // read before the service is shut down: a request it cannot take
      System.out.println("REFUSED import " + database + " " + arguments + ": " + e);
      System.out.flush();
      return;
    }
    synchronized (lifecycle) {
      if (closing) {
        return;
      }
      service.shutdown();
      service = null;
      int code;
      Path log = home.resolve("logs").resolve("import.log");
      try (PrintStream out =
              new PrintStream(
                  new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
          DefaultFileSystemAbstraction fs = new DefaultFileSystemAbstraction()) {
        try {
          // As the importer's own command is given them: its home the store's, its settings
          // those of HOME/import.
          code =
              AdminTool.execute(
                  new ExecutionContext(home.resolve("data"), home.resolve("import"), out, out, fs),
                  given);
        } catch (Throwable e) { // a fault of the importer's ends the import, not the engine
          e.printStackTrace(out);
          code = 1;
        }
      }
      if (code != 0) { // nothing half-written is opened: the service makes the database anew
        Path data = home.resolve("data").resolve("data");
        removeAll(data.resolve("databases").resolve(database));
        removeAll(data.resolve("transactions").resolve(database));
      }
      System.out.println("IMPORTED " + code);
      System.out.flush();
      service = open();
    }
    ready();
  }

  private static void removeAll(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> inside = Files.walk(folder)) {
      for (Path path : inside.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
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
