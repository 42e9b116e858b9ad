package org.caregrid.server.imports;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of uploads ({@code caregrid.imports.*}).
 *
 * @param maxUploadSize       the largest body {@code POST /api/imports} accepts (default 200 MB), counted as it
 *                            arrives, with or without a Content-Length; larger gets 413
 * @param maxUnzippedSize     what an uploaded .zip may unpack to in all (default 1 GB)
 * @param maxArchiveEntries   how many entries an uploaded .zip may hold (default 100)
 * @param maxCompressionRatio how much more an archive may unpack to than its compressed size (default 100 to 1;
 *                            text compresses about 10 to 1, a zip bomb 1000 to 1)
 */
@ConfigurationProperties("caregrid.imports")
public record ImportProperties(DataSize maxUploadSize, DataSize maxUnzippedSize, Integer maxArchiveEntries,
                               Integer maxCompressionRatio) {

    public ImportProperties {
        if (maxUploadSize == null) {
            maxUploadSize = DataSize.ofMegabytes(200);
        }
        if (maxUnzippedSize == null) {
            maxUnzippedSize = DataSize.ofGigabytes(1);
        }
        if (maxArchiveEntries == null) {
            maxArchiveEntries = 100;
        }
        if (maxCompressionRatio == null) {
            maxCompressionRatio = 100;
        }
    }
}
