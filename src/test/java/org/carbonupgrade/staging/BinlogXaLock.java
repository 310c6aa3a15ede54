package org.carbonupgrade.staging;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock across the test JVMs (surefire runs two at once) on the one MariaDB server they share. An XA transaction
 * prepared before a pass's recorded position and committed inside its range makes that pass hash every row
 * (BinlogScan: the commit does not say which tables its rows touched), whatever database the transaction wrote. So the
 * test that leaves one prepared across a pass holds this lock exclusively for that window, and a test that asserts its
 * pass read the binary log holds it shared from the position it records to that pass. Seen in CI on a fresh clone
 * (01:25 UTC): CatchUpCrashTest's binary-log pass hashed beside BinlogScanTest's XA window.
 */
final class BinlogXaLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private BinlogXaLock(boolean shared) throws IOException {
        Path file = Path.of("target", "binlog-xa.lock");
        Files.createDirectories(file.getParent());
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        lock = channel.lock(0, Long.MAX_VALUE, shared);
    }

    /** For a test that leaves an XA transaction prepared while other passes may record their positions. */
    static BinlogXaLock exclusive() throws IOException {
        return new BinlogXaLock(false);
    }

    /** For a test whose pass must read the binary log: no foreign XA window opens across its range. */
    static BinlogXaLock shared() throws IOException {
        return new BinlogXaLock(true);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
