-- A tiny synthetic district for `./caregrid demo` until the full generator (data-import) is wired in:
-- 1 street, 2 communities, 4 grids of 4 buildings each, near Chengdu's Jinjiang district.
-- Deterministic: every value follows from the loop indices.

INSERT INTO admin_area (code, level, name, parent_code, geom) VALUES
  ('510100000000', 'city',      '成都市',     NULL,           NULL),
  ('510104000000', 'district',  '锦江区',     '510100000000', NULL),
  ('510104020000', 'street',    '示范街道',   '510104000000',
     ST_Multi(ST_MakeEnvelope(104.0800, 30.6500, 104.0880, 30.6540, 4326))),
  ('510104020001', 'community', '东风社区',   '510104020000',
     ST_Multi(ST_MakeEnvelope(104.0800, 30.6500, 104.0840, 30.6540, 4326))),
  ('510104020002', 'community', '和平社区',   '510104020000',
     ST_Multi(ST_MakeEnvelope(104.0840, 30.6500, 104.0880, 30.6540, 4326)));

-- grid g (1..4): community 1 holds grids 1-2, community 2 grids 3-4; each 0.002° wide, 0.004° high
INSERT INTO grid (code, name, community_code, geom)
SELECT '510104020' || lpad(((g + 1) / 2)::text, 3, '0') || '-' || lpad(g::text, 2, '0'),
       '第' || g || '网格',
       '510104020' || lpad(((g + 1) / 2)::text, 3, '0'),
       ST_Multi(ST_MakeEnvelope(104.0800 + (g - 1) * 0.002, 30.6500, 104.0800 + g * 0.002, 30.6540, 4326))
  FROM generate_series(1, 4) g;

INSERT INTO compound (source, external_id, name, has_property_management, area_code, grid_id, geom)
SELECT 'demo', 'compound-' || g.id, g.name || '小区', g.id % 2 = 1, g.community_code, g.id,
       ST_Multi(ST_Buffer(g.geom, -0.0002))
  FROM grid g;

-- 4 buildings per grid, stacked north-south; entrances on the south side
INSERT INTO building (source, external_id, name, address, compound_id, area_code, grid_id, floors, households, footprint, entrance)
SELECT 'demo', 'building-' || g.id || '-' || n, n || '栋', g.name || n || '栋',
       c.id, g.community_code, g.id, 6 + n, 24,
       ST_Multi(ST_MakeEnvelope(ST_XMin(g.geom) + 0.0006, 30.6505 + (n - 1) * 0.0009,
                                ST_XMin(g.geom) + 0.0014, 30.6510 + (n - 1) * 0.0009, 4326)),
       ST_SetSRID(ST_MakePoint(ST_XMin(g.geom) + 0.0010, 30.6505 + (n - 1) * 0.0009), 4326)
  FROM grid g JOIN compound c ON c.grid_id = g.id, generate_series(1, 4) n;

INSERT INTO unit (building_id, number, households, entrance)
SELECT b.id, u || '单元', 12,
       ST_SetSRID(ST_MakePoint(ST_X(b.entrance) - 0.0002 + (u - 1) * 0.0004, ST_Y(b.entrance)), 4326)
  FROM building b, generate_series(1, 2) u;

-- two residents per unit
INSERT INTO person (source, external_id, name, gender, birth_date, phone, building_id, unit_id, room,
                    area_code, grid_id, location, is_synthetic)
SELECT 'demo', 'person-' || u.id || '-' || r,
       (ARRAY['王','李','张','刘','陈','杨','赵','黄'])[1 + (u.id + r) % 8]
         || (ARRAY['秀英','建国','桂兰','志强','丽华','海燕','明','芳'])[1 + (u.id * 3 + r) % 8],
       CASE WHEN (u.id + r) % 2 = 0 THEN 'female' ELSE 'male' END,
       DATE '1940-01-01' + ((u.id * 997 + r * 331) % 25000)::int,
       '138' || lpad(((u.id * 7919 + r * 104729) % 100000000)::text, 8, '0'),
       b.id, u.id, (r + 1) || '0' || (1 + u.id % 2),
       b.area_code, b.grid_id, u.entrance, true
  FROM unit u JOIN building b ON b.id = u.building_id, generate_series(1, 2) r;

-- every third resident is a key person
INSERT INTO key_person (person_id, categories, risk_level, needs, registered_on)
SELECT p.id,
       CASE p.id % 4 WHEN 0 THEN ARRAY['elderly_alone'] WHEN 1 THEN ARRAY['elderly_alone', 'chronic_condition']
                     WHEN 2 THEN ARRAY['disabled_in_difficulty'] ELSE ARRAY['minimum_allowance'] END,
       (ARRAY['low', 'medium', 'high'])[1 + p.id % 3],
       CASE WHEN p.id % 2 = 0 THEN ARRAY['medicine_delivery'] ELSE ARRAY['companionship'] END,
       current_date - 90
  FROM person p WHERE p.id % 3 = 0;

-- a visit history: every other key person was visited 2 days ago, the rest not since registering (overdue)
INSERT INTO visit (key_person_id, visited_at, method, findings, recorded_by)
SELECT k.person_id, now() - interval '2 days', 'door', '情况稳定', 'demo'
  FROM key_person k WHERE k.person_id % 2 = 0;

-- building heads for three of the four buildings in each grid; unit heads for the first units
INSERT INTO role_assignment (person_id, role, scope_type, scope_building_id, valid_from)
SELECT min(p.id), 'building_head', 'building', b.id, DATE '2024-01-01'
  FROM building b JOIN person p ON p.building_id = b.id
 WHERE b.external_id NOT LIKE '%-4'
 GROUP BY b.id;
INSERT INTO role_assignment (person_id, role, scope_type, scope_unit_id, valid_from)
SELECT max(p.id), 'unit_head', 'unit', u.id, DATE '2024-01-01'
  FROM unit u JOIN person p ON p.unit_id = u.id
 WHERE u.number = '1单元'
 GROUP BY u.id;

-- one volunteer per grid (the last resident of its first building), in the delivery squad
INSERT INTO volunteer (person_id, skills, teams, travel_mode, capacity, availability, home)
SELECT max(p.id), ARRAY['送药'], ARRAY['medicine_delivery'], 'bike', 6, 'Mo-Fr 18:00-21:00; Sa 09:00-12:00',
       min(b.entrance)
  FROM building b JOIN person p ON p.building_id = b.id
 WHERE b.external_id LIKE '%-1'
 GROUP BY b.id;

INSERT INTO facility (source, external_id, kind, name, opening_hours, area_code, location) VALUES
  ('demo', 'pharmacy-1', 'pharmacy', '东风大药房', 'Mo-Su 08:00-22:00', '510104020001',
     ST_SetSRID(ST_MakePoint(104.0812, 30.6502), 4326)),
  ('demo', 'pharmacy-2', 'pharmacy', '和平药店', 'Mo-Sa 09:00-20:00', '510104020002',
     ST_SetSRID(ST_MakePoint(104.0866, 30.6538), 4326)),
  ('demo', 'clinic-1', 'clinic', '仁心诊所', 'Mo-Fr 08:30-17:30', '510104020001',
     ST_SetSRID(ST_MakePoint(104.0832, 30.6536), 4326)),
  ('demo', 'chc-1', 'community_health_centre', '示范街道社区卫生服务中心', 'Mo-Su 08:00-18:00', '510104020002',
     ST_SetSRID(ST_MakePoint(104.0850, 30.6502), 4326)),
  ('demo', 'office-1', 'community_office', '东风社区党群服务中心', 'Mo-Fr 09:00-17:00', '510104020001',
     ST_SetSRID(ST_MakePoint(104.0820, 30.6520), 4326)),
  ('demo', 'office-2', 'community_office', '和平社区党群服务中心', 'Mo-Fr 09:00-17:00', '510104020002',
     ST_SetSRID(ST_MakePoint(104.0860, 30.6520), 4326));

UPDATE facility f SET grid_id = g.id FROM grid g WHERE ST_Contains(g.geom, f.location);

-- the demo volunteer is responsible for the key persons of grid 1
INSERT INTO role_assignment (person_id, role, scope_type, scope_person_id, valid_from)
SELECT (SELECT v.person_id FROM volunteer v JOIN person vp ON vp.id = v.person_id
         WHERE vp.grid_id = (SELECT min(id) FROM grid)),
       'responsible', 'person', k.person_id, DATE '2024-01-01'
  FROM key_person k JOIN person p ON p.id = k.person_id
 WHERE p.grid_id = (SELECT min(id) FROM grid);
