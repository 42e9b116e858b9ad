package org.caregrid.importer;

import java.io.InputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

/**
 * The one way caregrid opens XML it did not write (OSM XML today; GPX or KML when they come). A file may not declare a
 * DTD: the reader stops at {@code <!DOCTYPE} with an error in words, before any entity is declared, so no external
 * entity or DTD is fetched (file or URL) and no entity can be expanded. DTD support and external entities are also
 * switched off in the factory, and the JDK's entity limits are set to small values, in case a parser slips past the
 * first check. XLSX internals are parsed by Apache POI, whose own XML helper refuses DTDs the same way.
 */
public final class SafeXml {

    /** Words for the refusal; tests and callers look for "DTD". */
    public static final String DTD_REFUSED = "declares a DTD (<!DOCTYPE …>); caregrid refuses XML with a DTD because it"
            + " can make the reader fetch files or URLs (OSM files have none)";

    private SafeXml() {
    }

    /** A factory with DTDs, external entities and entity replacement switched off. */
    public static XMLInputFactory inputFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("refused to resolve external entity " + systemId);
        });
        // the JDK's own parser also takes limits; other StAX implementations reject unknown properties
        setIfSupported(factory, "http://www.oracle.com/xml/jaxp/properties/entityExpansionLimit", "1");
        setIfSupported(factory, "http://www.oracle.com/xml/jaxp/properties/maxGeneralEntitySizeLimit", "1");
        setIfSupported(factory, "http://javax.xml.XMLConstants/property/accessExternalDTD", "");
        return factory;
    }

    private static void setIfSupported(XMLInputFactory factory, String property, String value) {
        if (factory.isPropertySupported(property)) {
            try {
                factory.setProperty(property, value);
            } catch (IllegalArgumentException ignored) {
                // the implementation lists the property but will not take it: the DTD refusal still holds
            }
        }
    }

    /** Thrown by {@link #reader} at a DTD: the message is {@link #DTD_REFUSED} with the line. */
    public static final class DtdRefused extends XMLStreamException {
        DtdRefused(int line) {
            super("the file " + DTD_REFUSED + " (line " + line + ")");
        }
    }

    /** A stream reader that throws {@link DtdRefused} when the document has a DTD. */
    public static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        return new StreamReaderDelegate(inputFactory().createXMLStreamReader(in)) {
            @Override
            public int next() throws XMLStreamException {
                int event = super.next();
                if (event == XMLStreamConstants.DTD) {
                    throw new DtdRefused(getLocation() == null ? 0 : getLocation().getLineNumber());
                }
                return event;
            }
        };
    }
}
