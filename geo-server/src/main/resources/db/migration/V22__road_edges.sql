-- The routing graph's edges, written when a graph is opened, so that the road network can be a collection
-- of the OGC API and its vector tiles (one SQL query per page or tile, like every other layer). Roads are
-- no one's personal data and belong to no area: no row-level security.
CREATE TABLE road_edge (
    edge_id    integer PRIMARY KEY,
    graph_key  text NOT NULL,
    road_class text NOT NULL,
    geom       geometry(LineString, 4326) NOT NULL
);
CREATE INDEX road_edge_geom_idx ON road_edge USING gist (geom);
