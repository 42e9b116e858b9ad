package org.caregrid.importer;

import java.io.IOException;
import java.nio.file.Path;

/** A file format: reads a file into source features. A problem that stops reading is reported as FATAL. */
interface FeatureSource {

    void read(Path file, ImportOptions options, FeatureSink sink) throws IOException;
}
