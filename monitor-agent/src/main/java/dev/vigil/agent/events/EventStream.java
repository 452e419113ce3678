package dev.vigil.agent.events;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * One client's stream of events: the frames it starts with (a replay or a {@code reset}, else a heartbeat), then
 * live frames from a queue of {@value EventLog#QUEUE}. {@link #writeTo} runs on the connection's own (virtual)
 * thread and flushes every frame. When the queue overflows the stream is cut: its writer is interrupted, which also closes the
 * socket under a write that a client who stopped reading holds up.
 */
public final class EventStream implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private final EventLog log;
    private final List<byte[]> start;
    private final Duration heartbeat;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(EventLog.QUEUE);
    private Thread writer;
    private boolean ended;

    EventStream(EventLog log, List<byte[]> start, Duration heartbeat) {
        this.log = log;
        this.start = start;
        this.heartbeat = heartbeat;
    }

    /** Queues a live frame; false when the stream has ended, or ends now because its reader is too slow. */
    boolean offer(byte[] frame) {
        if (queue.offer(frame)) {
            return !isEnded();
        }
        if (!isEnded()) {
            LOG.info("An event stream is cut: its client read too slowly (" + EventLog.QUEUE
                    + " events waiting); it may come back with Last-Event-ID");
            end();
        }
        return false;
    }

    private synchronized boolean isEnded() {
        return ended;
    }

    /** Ends the stream: its writer, if one runs, returns. */
    synchronized void end() {
        ended = true;
        if (writer != null) {
            writer.interrupt();
        }
    }

    /**
     * Writes the stream to {@code out}, flushing each frame, with a heartbeat comment whenever it was silent for
     * the heartbeat interval, until the stream ends (it returns) or the client is gone (an IOException). Blocks
     * the calling thread all that time.
     */
    public void writeTo(OutputStream out) throws IOException {
        synchronized (this) {
            if (ended) {
                return;
            }
            writer = Thread.currentThread();
        }
        try {
            for (byte[] frame : start) {
                out.write(frame);
            }
            if (start.isEmpty()) {
                // something to send at once: a server may hold the response's headers back until the first byte
                out.write(HEARTBEAT);
            }
            out.flush();
            while (true) {
                byte[] frame = queue.poll(heartbeat.toNanos(), TimeUnit.NANOSECONDS);
                out.write(frame == null ? HEARTBEAT : frame);
                out.flush();
            }
        } catch (InterruptedException e) {
            // end() interrupted the wait: the stream is over, which is not an error
        } finally {
            synchronized (this) {
                writer = null;
                ended = true;
            }
            // an interrupt from end() that came after the wait must not reach the server's next use of this thread
            Thread.interrupted();
            log.remove(this);
        }
    }

    /** Ends the stream and gives its place back; for a stream that may never have been written. */
    @Override
    public void close() {
        end();
        log.remove(this);
    }
}
