package dev.vigil.agent.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * A small HTTP/1.1 server: blocking sockets, one virtual thread per connection, keep-alive, chunked bodies both
 * ways, HTTPS when given an {@link SSLContext}. Whatever it refuses before a handler runs (a malformed head, a
 * body over the limit) and every handler failure is answered with {@link ErrorBody}, never a trace.
 */
public final class Http1Server implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Http1Server.class.getName());

    /** The body of an error answer (the agent's: a small JSON object), and its content type. */
    public interface ErrorBody {
        String contentType();

        byte[] render(Status status, String message);
    }

    /**
     * @param maxPayload  larger request bodies are refused before any handler runs
     * @param idleTimeout how long a kept-alive connection may wait for its next request
     * @param readTimeout how long a request may pause while its head or body is being read
     * @param maxConnections connections beyond this are closed as they arrive
     */
    public record Limits(long maxPayload, Duration idleTimeout, Duration readTimeout, int maxConnections) {
    }

    private final ServerSocket listener;
    private final Routes routes;
    private final ErrorBody errors;
    private final Limits limits;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closing;

    private Http1Server(ServerSocket listener, Routes routes, ErrorBody errors, Limits limits) {
        this.listener = listener;
        this.routes = routes;
        this.errors = errors;
        this.limits = limits;
        // A platform thread, not a daemon: it keeps the agent's JVM alive while the server listens.
        this.acceptor = Thread.ofPlatform().name("vigil-http-accept").stackSize(256 * 1024).unstarted(this::accept);
    }

    /** Listens on host:port (0: any free port) and serves until closed. */
    public static Http1Server start(String host, int port, Optional<SSLContext> tls, Routes routes, ErrorBody errors,
                                    Limits limits) throws IOException {
        ServerSocket listener = tls.isPresent()
                ? tls.get().getServerSocketFactory().createServerSocket()
                : new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        Http1Server server = new Http1Server(listener, routes, errors, limits);
        server.acceptor.start();
        return server;
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        long count = 0;
        while (!closing) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(Level.WARNING, "accepting a connection failed: " + e.getMessage());
                }
                continue;
            }
            if (connections.size() >= limits.maxConnections()) {
                LOG.warning("more than " + limits.maxConnections() + " connections: one refused");
                closeQuietly(socket);
                continue;
            }
            connections.add(socket);
            Thread.ofVirtual().name("vigil-http-" + ++count).start(() -> serve(socket));
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            while (!closing && exchange(socket, in, out)) {
                // the next request on the same connection
            }
        } catch (SocketTimeoutException | SSLException | SocketException e) {
            // an idle or silent client, a failed TLS handshake (plain HTTP on the HTTPS port), a reset: just close
        } catch (IOException e) {
            LOG.fine(() -> "connection ended: " + e.getMessage());
        } finally {
            connections.remove(socket);
        }
    }

    /** Reads and answers one request; false when the connection is to be closed. */
    private boolean exchange(Socket socket, InputStream in, OutputStream out) throws IOException {
        socket.setSoTimeout((int) limits.idleTimeout().toMillis());
        in.mark(1);
        if (in.read() < 0) {
            return false;
        }
        in.reset();
        socket.setSoTimeout((int) limits.readTimeout().toMillis());
        Request request;
        try {
            request = Request.read(in).orElse(null);
            if (request == null) {
                return false;
            }
            request.checkFraming();
        } catch (Request.Malformed e) {
            refuse(out, e.status, e.status == Status.BAD_REQUEST_400 ? "malformed HTTP request" : e.getMessage());
            return false;
        }
        if (request.contentLength().orElse(0L) > limits.maxPayload()) {
            refuse(out, Status.REQUEST_ENTITY_TOO_LARGE_413, "the body is too large");
            return false;
        }
        RequestBody body = RequestBody.of(request, in, limits.maxPayload());
        Exchange exchange = new Exchange(request, body, out, () -> closeQuietly(socket));
        handle(exchange);
        if (exchange.closesAfter()) {
            return false;
        }
        // Without 100-continue the client sends the body anyway: read past it to reach the next request.
        return (!request.expectsContinue() || exchange.bodyRequested()) && body.drain();
    }

    private void handle(Exchange exchange) throws IOException {
        try {
            routes.find(exchange.method(), exchange.path()).handle(exchange);
            if (!exchange.sent()) {
                throw new IllegalStateException("the handler sent no answer");
            }
            exchange.finish();
        } catch (RequestBody.TooLarge e) {
            exchange.closeAfter();
            fail(exchange, Status.REQUEST_ENTITY_TOO_LARGE_413, "the body is too large");
        } catch (SocketException | SocketTimeoutException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, exchange.method() + " " + exchange.path() + " failed", e);
            exchange.closeAfter();
            fail(exchange, Status.INTERNAL_SERVER_ERROR_500, "the agent could not answer; its log says why");
        }
    }

    /** Answers an error unless an answer has begun; then the connection is simply closed. */
    private void fail(Exchange exchange, Status status, String message) throws IOException {
        if (exchange.sent()) {
            throw new IOException("failed after answering");
        }
        exchange.send(status, errors.contentType(), errors.render(status, message));
    }

    private void refuse(OutputStream out, Status status, String message) throws IOException {
        byte[] body = errors.render(status, message);
        out.write(Exchange.head(status, true, "Content-Length: " + body.length, errors.contentType(), List.of()));
        out.write(body);
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.fine(() -> "closing a connection: " + e.getMessage());
        }
    }

    /** Stops listening and closes every connection, streams included. */
    @Override
    public void close() {
        closing = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.fine(() -> "closing the listener: " + e.getMessage());
        }
        connections.forEach(Http1Server::closeQuietly);
        try {
            acceptor.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
