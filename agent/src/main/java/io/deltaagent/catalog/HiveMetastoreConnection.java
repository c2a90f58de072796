package io.deltaagent.catalog;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.hive.metastore.api.ThriftHiveMetastore;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;

/**
 * One open Thrift connection to a Hive Metastore (plain socket, binary protocol: the metastore's default when SASL and
 * framed transport are off). Not thread-safe; closed after each catalog call.
 */
public final class HiveMetastoreConnection implements AutoCloseable {

    /** Opens connections to the first of the catalog's metastores that accepts one. */
    public record Factory(String catalog, List<URI> uris, Duration timeout) {

        public static final int DEFAULT_PORT = 9083;

        public Factory {
            Objects.requireNonNull(catalog, "catalog");
            uris = List.copyOf(uris);
            if (uris.isEmpty()) {
                throw new IllegalArgumentException("no metastore URI");
            }
            Objects.requireNonNull(timeout, "timeout");
        }

        /** @throws CatalogException naming every URI tried when none accepts a connection */
        public HiveMetastoreConnection open() {
            List<String> failures = new ArrayList<>();
            // a connect attempt is bounded apart from the reads so that a dead first URI leaves time for the next
            int connectMillis = (int) Math.min(timeout.toMillis() / uris.size(), 10_000);
            int readMillis = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
            for (URI uri : uris) {
                int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
                TSocket socket = null;
                try {
                    socket = new TSocket(new TConfiguration(), uri.getHost(), port, readMillis, Math.max(1, connectMillis));
                    socket.open();
                    return new HiveMetastoreConnection(uri, socket);
                } catch (TTransportException e) {
                    if (socket != null) {
                        socket.close();
                    }
                    failures.add(uri + ": " + describe(e));
                }
            }
            throw new CatalogException(catalog, "cannot reach the Hive Metastore (catalogs." + catalog + ".uris): "
                    + String.join("; ", failures));
        }
    }

    private final URI uri;
    private final TSocket socket;
    private final ThriftHiveMetastore.Client client;

    private HiveMetastoreConnection(URI uri, TSocket socket) {
        this.uri = uri;
        this.socket = socket;
        this.client = new ThriftHiveMetastore.Client(new TBinaryProtocol(socket));
    }

    public URI uri() {
        return uri;
    }

    public ThriftHiveMetastore.Client client() {
        return client;
    }

    /**
     * A Thrift failure in words: the metastore's own message for its exceptions, the socket's cause for transport
     * failures (Thrift wraps "Connection refused" and read timeouts), never an empty string.
     */
    static String describe(TException e) {
        Throwable t = e;
        if (e instanceof TTransportException && e.getCause() != null) {
            t = e.getCause();
        }
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = t.getClass().getSimpleName();
        }
        if (e instanceof TTransportException te && te.getType() == TTransportException.END_OF_FILE) {
            msg = "the metastore closed the connection (is it a SASL/Kerberos or framed-transport metastore? "
                    + "Only plain Thrift is supported): " + msg;
        }
        if (e instanceof TApplicationException) {
            msg = "the metastore does not support this call (" + msg + ")";
        }
        return msg;
    }

    @Override
    public void close() {
        socket.close();
    }
}
