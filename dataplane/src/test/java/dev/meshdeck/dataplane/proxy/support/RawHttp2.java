package dev.meshdeck.dataplane.proxy.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw-socket HTTP/2 client (prior knowledge) that sends and reads frames as they are, for what a real client
 * hides: GOAWAY, and the order of frames.
 */
public final class RawHttp2 implements AutoCloseable {
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int SETTINGS = 0x4;
    public static final int GOAWAY = 0x7;
    public static final int END_STREAM = 0x1;
    public static final int ACK = 0x1;
    public static final int END_HEADERS = 0x4;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    /** Connects and sends the client preface and an empty SETTINGS frame. */
    public RawHttp2(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    /** Writes one frame. */
    public void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        out.writeByte(payload.length >>> 16);
        out.writeShort(payload.length & 0xffff);
        out.writeByte(type);
        out.writeByte(flags);
        out.writeInt(stream);
        out.write(payload);
        out.flush();
    }

    /**
     * The types of the frames read until one of type {@code last} (included), or until the server closes the
     * connection when {@code last} is -1; the server's SETTINGS are acknowledged.
     *
     * @throws EOFException when the server closes the connection before a frame of type {@code last}
     */
    public List<Integer> readUntil(int last) throws IOException {
        List<Integer> types = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int length;
            try {
                length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
            } catch (EOFException closed) {
                if (last == -1) {
                    return types;
                }
                throw new EOFException("closed before a frame of type " + last + "; frames read: " + types);
            }
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            in.readInt();
            in.readNBytes(length);
            types.add(type);
            if (type == SETTINGS && (flags & ACK) == 0 && last != -1) {
                frame(SETTINGS, ACK, 0, new byte[0]);
            }
            if (type == last) {
                return types;
            }
        }
        throw new AssertionError("more than 1000 frames: " + types);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
