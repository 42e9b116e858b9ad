package org.caregrid.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

import org.junit.jupiter.api.Test;

/**
 * The OSM XML reader: what it reads, checked against the JDK's own StAX parser on a real extract, and what it refuses,
 * with the line.
 */
class OsmXmlTest {

    private static final Path MONACO = OsmReaderTest.sharedData("osm/monaco.osm.gz");

    /** Every element's start and end, with the attributes OSM data lives in, as one line each. */
    private static List<String> events(OsmXml xml) throws IOException {
        List<String> events = new ArrayList<>();
        for (OsmXml.Event e = xml.next(); e != OsmXml.Event.END_OF_FILE; e = xml.next()) {
            events.add(e == OsmXml.Event.START ? start(xml.name(), xml.attribute("id"), xml.attribute("lat"),
                    xml.attribute("lon"), xml.attribute("k"), xml.attribute("v"), xml.attribute("ref"),
                    xml.attribute("type"), xml.attribute("role")) : "/" + xml.name());
        }
        return events;
    }

    private static String start(String name, String... attributes) {
        return name + " " + String.join("|", java.util.Arrays.stream(attributes).map(String::valueOf).toList());
    }

    private static List<String> events(String document) throws IOException {
        return events(new OsmXml(new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void readsMonacoAsTheJdksOwnStaxParserDoes() throws Exception {
        List<String> expected = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(MONACO))) {
            XMLStreamReader stax = XMLInputFactory.newDefaultFactory().createXMLStreamReader(in);
            while (stax.hasNext()) {
                int event = stax.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    expected.add(start(stax.getLocalName(), stax.getAttributeValue(null, "id"),
                            stax.getAttributeValue(null, "lat"), stax.getAttributeValue(null, "lon"),
                            stax.getAttributeValue(null, "k"), stax.getAttributeValue(null, "v"),
                            stax.getAttributeValue(null, "ref"), stax.getAttributeValue(null, "type"),
                            stax.getAttributeValue(null, "role")));
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    expected.add("/" + stax.getLocalName());
                }
            }
        }
        List<String> read;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(MONACO))) {
            read = events(new OsmXml(in));
        }
        // the extract is larger than the reader's buffer, so tags straddle its refills
        assertThat(Files.size(MONACO)).isGreaterThan(1 << 16);
        assertThat(read).hasSize(82_610).isEqualTo(expected);
    }

    @Test
    void quotesEntitiesWhiteSpaceCommentsAndTheDeclaration() throws IOException {
        String document = "\ufeff<?xml version='1.0' encoding='utf-8'?>\n"
                + "<!-- made by hand --->\n"
                + "<osm version=\"0.6\">\n"
                + "  <node id='7' lat=\"30.5\" lon = '104.1' >\n"
                + "    <tag k=\"name\" v=\"张&amp;李 &lt;1&gt; &quot;a&apos; &#20013;&#x6587;\"/>\n"
                + "    <tag k=\"note\" v=\"a\tb\r\nc > d\"/>\n"
                + "  </node>\n"
                + "  <note><![CDATA[ <not> a tag ]]> &unknown; text is skipped</note>\n"
                + "</osm>\n";
        assertThat(events(document)).containsExactly(
                "osm null|null|null|null|null|null|null|null",
                "node 7|30.5|104.1|null|null|null|null|null",
                "tag null|null|null|name|张&李 <1> \"a' 中文|null|null|null", "/tag",
                "tag null|null|null|note|a b c > d|null|null|null", "/tag",
                "/node",
                "note null|null|null|null|null|null|null|null", "/note",
                "/osm");
    }

    @Test
    void numbersReadFromTheBytesAreWhatJavasParsersGive() throws IOException {
        java.util.Random random = new java.util.Random(15);
        List<String> values = new ArrayList<>(List.of("-0.0", "0", "30.", "+5", "1e5", " 30.5", "abc", "", "-",
                "0.1", "-179.9999999", "123456789012345678901234.5", "1234567890123456", "007.50", "&#51;0.5"));
        for (int i = 0; i < 20_000; i++) {
            int decimals = random.nextInt(10);
            double degrees = (random.nextDouble() * 360 - 180);
            values.add(String.format(java.util.Locale.ROOT, "%." + decimals + "f", degrees));
            values.add(Long.toString(random.nextLong() >> random.nextInt(64)));
        }
        StringBuilder document = new StringBuilder("<osm>");
        values.forEach(v -> document.append("<node lat=\"").append(v).append("\"/>"));
        document.append("</osm>");
        OsmXml xml = new OsmXml(new ByteArrayInputStream(document.toString().getBytes(StandardCharsets.UTF_8)));
        int read = 0;
        for (OsmXml.Event e = xml.next(); e != OsmXml.Event.END_OF_FILE; e = xml.next()) {
            if (e != OsmXml.Event.START || !xml.name().equals("node")) {
                continue;
            }
            String text = xml.attribute("lat");
            double parsed;
            try {
                parsed = Double.parseDouble(text);
            } catch (NumberFormatException notANumber) {
                parsed = Double.NaN;
            }
            assertThat(Double.doubleToRawLongBits(xml.decimal("lat"))).as(text).isEqualTo(Double.doubleToRawLongBits(parsed));
            long whole;
            try {
                whole = Long.parseLong(text.strip());
            } catch (NumberFormatException notAWholeNumber) {
                whole = -1;
            }
            assertThat(xml.wholeNumber("lat", -1)).as(text).isEqualTo(whole);
            assertThat(xml.decimal("lon")).isNaN();
            assertThat(xml.wholeNumber("lon", 7)).isEqualTo(7);
            read++;
        }
        assertThat(read).isEqualTo(values.size());
    }

    private static void refused(String document, int line, String words) {
        assertThatThrownBy(() -> events(document)).isInstanceOfSatisfying(OsmXml.Malformed.class, e -> {
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.getMessage()).isEqualTo(words);
        });
    }

    @Test
    void whatIsNotWellFormedIsRefusedWithItsLine() {
        refused("<osm>\n<node id='1'>\n</way>\n</osm>", 3, "</way> closes <node>");
        refused("<osm>\n<node id='1'>\n<tag k='a' v='b'", 3, "the file ends inside the tag that starts on line 3: it is truncated");
        refused("<osm>\n<way id='1'>\n<nd ref='2'/>\n", 4, "the file ends inside <way>: it is truncated");
        refused("<osm>\n<tag k=a v='b'/>\n</osm>", 2, "the tag <tag> has an attribute without a quoted value");
        refused("<osm>\n<tag k='a'v='b'/>\n</osm>", 2, "the tag <tag> has no space before an attribute");
        refused("<osm>\n<tag k='a' v='&nbsp;'/>\n</osm>", 2,
                "the value of v uses &nbsp;, which XML does not define (and a DTD is refused)");
        refused("<osm>\n<tag k='a' v='<b'/>\n</osm>", 2, "a '<' inside the tag that starts on line 2");
        refused("<osm></osm>\n<osm>", 2, "<osm> comes after the root element has ended");
        refused("<?xml version=\"1.0\" encoding=\"GBK\"?>\n<osm/>", 1, "the file is encoded in GBK; OSM XML is UTF-8");
    }

    @Test
    void aDtdIsRefusedInWordsBeforeItIsRead() {
        assertThatThrownBy(() -> events("<?xml version=\"1.0\"?>\n<!DOCTYPE osm [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                + "<osm>&x;</osm>")).isInstanceOf(SafeXml.DtdRefused.class)
                .hasMessage("the file " + SafeXml.DTD_REFUSED + " (line 2)");
    }
}
