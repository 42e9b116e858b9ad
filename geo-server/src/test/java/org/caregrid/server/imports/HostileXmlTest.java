package org.caregrid.server.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamReader;

import org.caregrid.importer.ImportError;
import org.caregrid.importer.OsmData;
import org.caregrid.importer.OsmReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OSM file whose DOCTYPE names an external DTD, a parameter entity and an external entity, all on a listener this
 * test runs on 127.0.0.1: neither the OSM reader nor the auto-gridding's road scan may send it a single request, and
 * both say why they refuse the file.
 */
class HostileXmlTest {

    @TempDir
    Path dir;

    private ServerSocket listener;
    private Thread acceptor;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /**
     * Answers every request with a harmless entity declaration, so a parser that does fetch finishes (and the request
     * is recorded before the parser can return: it waits for this answer).
     */
    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try (Socket socket = listener.accept()) {
                    InputStream in = socket.getInputStream();
                    StringBuilder line = new StringBuilder();
                    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                        line.append((char) c);
                    }
                    requests.add(line.toString().trim());
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n<!ENTITY fetched \"x\">"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException closed) {
                    // the listener was closed at the end of the test
                }
            }
        }, "xxe-listener");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
        acceptor.join(60_000);
    }

    private Path hostileOsm() throws IOException {
        String base = "http://127.0.0.1:" + listener.getLocalPort();
        Path file = dir.resolve("hostile.osm");
        Files.writeString(file, """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE osm SYSTEM "%1$s/dtd" [
                  <!ENTITY %% remote SYSTEM "%1$s/param">
                  %%remote;
                  <!ENTITY xxe SYSTEM "%1$s/xxe?key=/etc/hostname">
                ]>
                <osm version="0.6">
                  <note>&xxe;</note>
                  <node id="1" lat="43.7300" lon="7.4200"/>
                  <node id="2" lat="43.7310" lon="7.4210"/>
                  <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/></way>
                </osm>
                """.formatted(base), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void theListenerReallyHearsAParserThatFetches() throws Exception {
        // the control: the JDK's default StAX parser does fetch the DTD, so silence below means something
        try (InputStream in = Files.newInputStream(hostileOsm())) {
            XMLStreamReader xml = XMLInputFactory.newFactory().createXMLStreamReader(in);
            while (xml.hasNext()) {
                xml.next();
            }
        } catch (Exception refusedLater) {
            // whether or not the parse completes, the request has been made by now
        }
        assertThat(requests).isNotEmpty();
    }

    @Test
    void theOsmReaderRefusesTheDtdInWordsAndFetchesNothing() throws Exception {
        OsmData data = OsmReader.read(hostileOsm());
        assertThat(requests).isEmpty();
        assertThat(data.isFatal()).isTrue();
        assertThat(data.buildings()).isEmpty();
        assertThat(data.errors()).singleElement().satisfies(e -> {
            assertThat(e.severity()).isEqualTo(ImportError.Severity.FATAL);
            assertThat(e.file()).isEqualTo("hostile.osm");
            assertThat(e.reason()).isEqualTo("the file declares a DTD (<!DOCTYPE …>); caregrid refuses XML with a DTD"
                    + " because it can make the reader fetch files or URLs (OSM files have none) (line 2)");
        });
    }

    @Test
    void autoGriddingReadsRoadsWithTheSameReaderAndFetchesNothing() throws Exception {
        Path file = hostileOsm();
        assertThatThrownBy(() -> AutoGrids.arterials(file))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot read the ways of hostile.osm: the file declares a DTD");
        assertThat(requests).isEmpty();
    }

    @Test
    void theSameRoadsWithoutTheDtdAreRead() throws Exception {
        Path plain = dir.resolve("plain.osm");
        Files.writeString(plain, Files.readString(hostileOsm()).replaceAll("(?s)<!DOCTYPE.*?]>\\n", "")
                .replace("<note>&xxe;</note>", ""), StandardCharsets.UTF_8);
        assertThat(AutoGrids.arterials(plain)).containsExactly("LINESTRING(7.42 43.73,7.421 43.731)");
        assertThat(requests).isEmpty();
    }
}
