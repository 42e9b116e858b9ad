package org.caregrid.server.imports;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of uploads ({@code caregrid.imports.*}).
 *
 * @param maxUploadSize the largest file {@code POST /api/imports} accepts (default 200 MB); larger gets 413
 */
@ConfigurationProperties("caregrid.imports")
public record ImportProperties(DataSize maxUploadSize) {

    public ImportProperties {
        if (maxUploadSize == null) {
            maxUploadSize = DataSize.ofMegabytes(200);
        }
    }
}
