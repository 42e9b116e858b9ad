package org.caregrid.importer;

import java.time.LocalDate;

/**
 * One line of a roster of heads and responsible persons (楼栋长/单元长/包保责任人名册): who serves, in which role,
 * for which building, unit or key person, and from when to when. Places and people are named as ledgers name them
 * (building names, names with a phone tail, ID numbers); the server resolves them against what the caller may see.
 *
 * @param row       the source row, for errors found when resolving
 * @param building  the building as written (id, code or name; 3栋 = 3号楼 = 三栋), null for a responsible person
 * @param compound  the compound (小区) the building is in, when the file says
 * @param keyPerson the key person a responsible person (包保责任人) is for; null for heads
 * @param validFrom null: from the day of the import
 */
public record RosterEntry(long row, AssignmentRole role, String building, String compound, String unit,
                          PersonRef person, PersonRef keyPerson, LocalDate validFrom, LocalDate validTo) {

    /** A person as a roster names them: a name with the last four digits of their phone, or an ID number. */
    public record PersonRef(String name, String phoneTail, String idNumber) {

        @Override
        public String toString() {
            return (name != null ? name : "") + (phoneTail != null ? " (…" + phoneTail + ")"
                    : idNumber != null ? " (" + IdNumbers.mask(idNumber) + ")" : "");
        }

        /** @param masked an ID number as error messages show it (IdNumbers.mask) */
        String key(boolean masked) {
            return name + "/" + phoneTail + "/" + (masked && idNumber != null ? IdNumbers.mask(idNumber) : idNumber);
        }
    }

    /** What makes two lines the same appointment (a file listing it twice is an error). */
    String key() {
        return key(false);
    }

    /** The key as the "listed twice" error shows it: the ID number masked, like every other import message. */
    String shownKey() {
        return key(true);
    }

    private String key(boolean masked) {
        return role.code() + "|" + compound + "|" + building + "|" + unit + "|" + person.key(masked) + "|"
                + (keyPerson == null ? null : keyPerson.key(masked));
    }
}
