// Starts Neo4j Community embedded for DutyGraph's Neo4j backend on machines without Docker (graph/neo4j_local.py).
// Usage: java -cp CLASSPATH Launcher.java DIR PORT [DIR PORT ...], the password in NEO4J_PASSWORD.
// One embedded DBMS per (DIR, PORT): Community has one user database per DBMS. Bolt listens on 127.0.0.1 with
// authentication on. Prints "READY ALL" once every Bolt port accepts connections and stops when standard input
// closes (the parent ended, however it ended), on SIGTERM or on SIGINT: no database outlives its starter.
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class Launcher {
    public static void main(String[] args) throws Exception {
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_PASSWORD must hold at least 8 characters");
            System.exit(2);
        }
        List<DatabaseManagementService> all = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> all.forEach(DatabaseManagementService::shutdown)));
        for (int i = 0; i + 1 < args.length; i += 2) {
            Path home = Path.of(args[i]).toAbsolutePath();
            int port = Integer.parseInt(args[i + 1]);
            DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 256L * 1024 * 1024)
                .build();
            all.add(dbms);
            dbms.database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $p CHANGE NOT REQUIRED", Map.of("p", password));
            System.out.println("READY " + port);
        }
        System.out.println("READY ALL");
        System.out.flush();
        while (System.in.read() != -1) {
            // input is ignored: its end is the signal to stop
        }
        System.exit(0);
    }
}
