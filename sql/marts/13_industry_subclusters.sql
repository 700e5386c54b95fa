-- The industry view (national; empty unless the run reads OEWS sector estimates): where each
-- cluster's workers work, by 2-digit NAICS sector, and how much of that work sits in the
-- sectors Advance CTE aligns with the cluster.

-- The framework's crosswalk as published.
CREATE OR REPLACE TABLE industry_subclusters AS
SELECT framework, cluster, sub_cluster, naics_sector, naics_title, oews_sector FROM stg_industry_subclusters
ORDER BY {{industry_subclusters_order}};
