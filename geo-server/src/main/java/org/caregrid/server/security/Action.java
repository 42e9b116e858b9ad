package org.caregrid.server.security;

/** What a request does, as the access policy sees it (docs/security.md). */
public enum Action {
    /** Places and the road network: areas, grids, buildings, facilities, routes between points. No personal data. */
    READ_PLACES,
    /** Counts and rates: coverage figures, key persons per building. */
    READ_AGGREGATE,
    /** Individual persons: names, homes, visits. */
    READ_NAMES,
    /** Phone numbers in full (others see them masked). */
    READ_PHONE,
    /** ID numbers in full. Only a keyed hash and the last four are stored, so nobody has this. */
    READ_ID,
    /** Record a visit in the ledger (台账). */
    RECORD_VISIT,
    /** Keep the person register and the key-person profiles: register, edit, move house. */
    REGISTER,
    /** Enter or cancel a medicine request (送药到户) for a key person. */
    REQUEST_DELIVERY,
    /** Appoint or end building heads, unit heads, responsible persons (包保) and other roles. */
    APPOINT,
    /** Keep the volunteer register: skills, teams, travel, capacity, availability, reserve tier. */
    KEEP_VOLUNTEERS,
    /** Keep the facilities: pharmacies, clinics, stations, with their opening hours and location. */
    KEEP_FACILITIES,
    /** Keep the micro-organisations and social organisations of an area. */
    KEEP_ORGANISATIONS,
    /** Plan medicine deliveries (dispatch). */
    PLAN_DELIVERIES,
    /** Plan one's own visit tour. */
    PLAN_VISITS,
    /** Send a plan to its volunteers. */
    PUBLISH,
    /** Carry out one's own published route: see today's stops, record each stop's outcome. */
    DELIVER,
    /**
     * Find the nearest hospital that can take a person in one's scope (急诊转运) and the car route there. The
     * hospital may lie outside the caller's area: the nearest one is often in the next district.
     */
    EMERGENCY_TRANSFER,
    /**
     * Publish and end what one offers on the supply list (供给清单): organisations, stations and volunteers, or
     * someone on their behalf. A volunteer publishes only their own offers.
     */
    KEEP_SUPPLY,
    /**
     * Work the needs list (需求清单): take a need for a supply (接单), mark it done, escalate it to the street. A
     * volunteer works only the needs of the key persons they are responsible for, and takes them for their own offers.
     */
    WORK_NEEDS,
    /**
     * Call out the reserve force (社区呼叫、单位报到) for a place in one's scope, record the members' answers
     * (accepted duty becomes service time) and close the call-out.
     */
    CALL_OUT,
    /** Load files into the database. */
    IMPORT,
    /** Import a roster of heads and 包保 (楼栋长/单元长/包保责任人名册): appointments in bulk, found by name. */
    IMPORT_ROSTER,
    /** The volunteer-service subsidy sheet and service certificates (志愿服务补贴表、服务证明): names with figures. */
    REPORT_SERVICE,
    /** Users, tokens, the audit log, maintenance. */
    ADMINISTER,
    /** One's own account: one's personal access tokens. Every role has it. */
    OWN_ACCOUNT
}
