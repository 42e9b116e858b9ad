package org.caregrid.server.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An uploaded archive is unpacked within its limits, each refusal naming the archive and the setting. */
class ArchivesTest {

    private static final Archives.Limits LIMITS = new Archives.Limits(4_000_000, 5, 100);

    @TempDir
    Path dir;

    private Path zip(String name, int entries, int bytesEach, boolean random) throws IOException {
        Path zip = dir.resolve(name);
        Random noise = new Random(7);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < entries; i++) {
                out.putNextEntry(new ZipEntry("folder/part" + i + (i == 0 ? ".csv" : ".txt")));
                byte[] data = new byte[bytesEach];
                if (random) {
                    noise.nextBytes(data);
                }
                out.write(data);
                out.closeEntry();
            }
        }
        return zip;
    }

    @Test
    void aShapefileAndItsSidecarsLandTogetherAndTheDataFileIsAnswered() throws IOException {
        Path zip = dir.resolve("楼栋.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : new String[] {"楼栋/楼栋.dbf", "楼栋/楼栋.shp", "楼栋/楼栋.prj", "../../escape.shp"}) {
                out.putNextEntry(new ZipEntry(name));
                out.write(name.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        Path data = Archives.unzip(zip, "楼栋.zip", LIMITS);
        assertThat(data.getFileName().toString()).isEqualTo("escape.shp");
        assertThat(data.getParent()).isEqualTo(dir.resolve("unzipped"));
        try (var files = Files.list(data.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("楼栋.dbf", "楼栋.shp", "楼栋.prj", "escape.shp");
        }
        assertThat(dir.getParent().resolve("escape.shp")).doesNotExist();
    }

    @Test
    void tooManyEntriesAreRefused() throws IOException {
        Path zip = zip("many.zip", 6, 10, false);
        assertThatThrownBy(() -> Archives.unzip(zip, "many.zip", LIMITS)).isInstanceOf(IOException.class)
                .hasMessage("many.zip holds more than 5 entries; an import archive holds one data file and its"
                        + " sidecar files (caregrid.imports.max-archive-entries)");
    }

    @Test
    void unpackingPastTheTotalSizeIsRefused() throws IOException {
        // random bytes do not compress: the total, not the ratio, stops this one
        Path zip = zip("big.zip", 3, 1_500_000, true);
        assertThatThrownBy(() -> Archives.unzip(zip, "big.zip", LIMITS)).isInstanceOf(IOException.class)
                .hasMessage("big.zip unpacks to more than 4.0 MB; archives may unpack to at most that"
                        + " (caregrid.imports.max-unzipped-size)");
    }

    @Test
    void aHighlyCompressedEntryIsRefusedAsABomb() throws IOException {
        Path zip = zip("zeros.zip", 1, 3_000_000, false);
        assertThatThrownBy(() -> Archives.unzip(zip, "zeros.zip", LIMITS)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("zeros.zip: 'folder/part0.csv' is compressed more than 100 to 1");
    }

    @Test
    void notAZipOrNoDataFileIsSaidInWords() throws IOException {
        Path text = Files.writeString(dir.resolve("fake.zip"), "id,name\n1,x\n");
        assertThatThrownBy(() -> Archives.unzip(text, "fake.zip", LIMITS)).isInstanceOf(IOException.class)
                .hasMessage("fake.zip is empty or not a .zip archive");
        Path notes = dir.resolve("notes.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(notes))) {
            out.putNextEntry(new ZipEntry("readme.md"));
            out.write("# notes".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertThatThrownBy(() -> Archives.unzip(notes, "notes.zip", LIMITS)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("notes.zip holds no data file (one of .shp, .gpkg,");
    }
}
