package org.caregrid.server.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on a port of its own to the test server, which can be cut like a phone losing its signal.
 * Chromium's network emulation (ChromeDriver's network conditions) switches off the page but not its
 * service worker, whose fetches still reach the server; through a cut link nothing does.
 */
public final class Link implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "link");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean cut;

    private Link(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** A relay from a free loopback port to {@code port} on this machine. */
    public static Link to(int port) throws IOException {
        return new Link(port);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** No signal: open connections break, new ones are refused (reset) until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(Link::closeQuietly);
        open.clear();
    }

    public void restore() {
        cut = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    client.setSoLinger(true, 0);
                    client.close();
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(server);
                AtomicInteger directions = new AtomicInteger(2);
                threads.execute(() -> pipe(client, server, directions));
                threads.execute(() -> pipe(server, client, directions));
            } catch (IOException e) {
                // the listener closed, or one connection failed: the next one is tried
            }
        }
    }

    private void pipe(Socket from, Socket to, AtomicInteger directions) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // cut, or the other side went away
        }
        if (directions.decrementAndGet() == 0 || cut) {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
        threads.shutdownNow();
    }
}
