-- The sectors of each cluster's industry alignment, one a row: the flat form of
-- industry_alignment.aligned_sectors (list = 'aligned') and top_sectors_outside ('top_outside').
CREATE OR REPLACE TABLE industry_alignment_sectors AS
SELECT area_code, framework, cluster, sub_cluster, 'aligned' AS list, unnest(aligned_sectors) AS naics_sector, NULL::VARCHAR AS naics_title, NULL::DECIMAL(6, 4) AS share_of_cluster
FROM industry_alignment
UNION ALL
SELECT area_code, framework, cluster, sub_cluster, 'top_outside', t.naics_sector, t.naics_title, t.share_of_cluster
FROM (SELECT area_code, framework, cluster, sub_cluster, unnest(top_sectors_outside) AS t FROM industry_alignment)
ORDER BY {{industry_alignment_sectors_order}};
