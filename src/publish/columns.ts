// What every published column means, in words a workforce analyst uses. The snapshot's
// docs page and schema are generated from this, and a test fails if a column lacks a line.
import { DATASET_TABLES } from '../../pipelines/index.js';

const FLAG =
  'Why the value is empty: not_available (BLS did not publish it), top_coded (at or above the top code), hourly_only / annual_only (BLS publishes this occupation only per hour / per year), no_estimate (this snapshot has no OEWS estimate for the area and code: projections only). Empty when the value is published.';
const FRAMEWORK =
  "Which Career Clusters framework: 2024 (Advance CTE's 14 clusters and their sub-clusters) or legacy_16 (the 16 clusters as O*NET published them; sub_cluster holds the pathway).";
const releases = {
  oews_release: 'OEWS estimates this row comes from, e.g. "May 2024"; empty when the area has no OEWS estimate in this snapshot (projections only).',
  projection_period:
    'Projection period this row comes from, e.g. "2024–2034" (BLS Employment Projections, the nation) or "2020–2030" (Projections Central, states); empty when there is no projection.',
};
const area = {
  area_code: 'OEWS area code: 99 for the United States, the state FIPS code for states, the CBSA code for metro areas.',
  area_name: 'Area name as OEWS publishes it.',
  area_type: 'national, state, territory, metro or nonmetro.',
};

export const TABLE_DOCS: Record<string, { title: string; description: string; columns: Record<string, string> }> = {
  occupations: {
    title: 'Occupations',
    description:
      'One row per area and detailed occupation (SOC 2018 code, or the OEWS code that stands for several SOC codes, such as 13-1020 Buyers and Purchasing Agents). Only detailed occupations: totals and groups are left out, so rows can be added up safely.',
    columns: {
      ...area,
      soc_code: 'Occupation code (SOC 2018 detailed, as OEWS publishes it).',
      soc_title: 'Occupation title as OEWS (or the projections source) publishes it.',
      code_kind:
        'What the code is: soc_2018_detailed; oews_aggregate (an OEWS code standing for several SOC codes, e.g. 13-1020); soc_broad (a SOC broad group used in place of its detailed codes); hybrid (a 2019-2020 OEWS/projections code combining SOC 2018 codes, e.g. 15-1256, or a SOC 2010 code).',
      employment: 'Number of jobs (OEWS, excluding self-employed). Empty when BLS does not publish it.',
      employment_flag: FLAG,
      annual_wage_mean: 'Mean annual wage, dollars.',
      annual_wage_mean_flag: FLAG,
      annual_wage_median: 'Median annual wage, dollars: half the workers earn more.',
      annual_wage_median_flag: FLAG,
      annual_wage_p10: 'Annual wage at the 10th percentile, dollars.',
      annual_wage_p10_flag: FLAG,
      annual_wage_p25: 'Annual wage at the 25th percentile, dollars.',
      annual_wage_p25_flag: FLAG,
      annual_wage_p75: 'Annual wage at the 75th percentile, dollars.',
      annual_wage_p75_flag: FLAG,
      annual_wage_p90: 'Annual wage at the 90th percentile, dollars.',
      annual_wage_p90_flag: FLAG,
      hourly_wage_median: 'Median hourly wage, dollars.',
      hourly_wage_median_flag: FLAG,
      jobs_per_1000: 'Jobs in this occupation per 1,000 jobs in the area.',
      location_quotient: "The occupation's share of the area's jobs divided by its share nationally (empty for the nation).",
      projection_source: 'Where the projection comes from: BLS Employment Projections (the nation) or Projections Central (states).',
      projection_base_year: 'First year of the employment projection.',
      projection_year: 'Last year of the employment projection.',
      projection_base_employment: 'Employment in the base year, persons (BLS publishes thousands; converted exactly).',
      projected_employment: 'Projected employment in the projection year, persons.',
      projected_change_pct: 'Projected employment change over the period, percent, as BLS publishes it.',
      annual_openings: 'Average annual job openings over the projection period (growth plus replacement), persons.',
      typical_education: 'Typical education needed to enter the occupation (BLS).',
      work_experience: 'Work experience in a related occupation typically needed (BLS).',
      on_the_job_training: 'Typical on-the-job training needed to become competent (BLS).',
      job_zone: 'O*NET Job Zone, 1 (little preparation) to 5 (extensive preparation). For OEWS codes that combine several occupations, the zone most of them share.',
      onet_required_education: 'Education level most often reported by workers in the occupation (O*NET survey).',
      policy: 'High-opportunity policy the flags follow (policies/<name>.json; the manifest records its version and sources).',
      high_wage: 'High wage under the policy; empty when the data it needs is missing.',
      high_skill: 'High skill under the policy (entry education, training, O*NET Job Zone).',
      in_demand: 'In demand under the policy (openings, projected growth).',
      high_opportunity: 'High opportunity: the combination of the three that the policy requires (Perkins V: all three).',
      bright_outlook: "O*NET Bright Outlook, nationwide: projected growth at least the edition's faster-than-average threshold, or 100,000+ openings over the projection period.",
      opportunity_reasons: 'Why each flag holds, in words: e.g. "high wage: median $93,600 ≥ area median $49,500".',
      oews_release: releases.oews_release,
      projection_period: releases.projection_period,
      onet_release: 'O*NET database release used, e.g. "27.0".',
    },
  },
  occupation_clusters: {
    title: 'Occupation to Career Cluster map',
    description:
      "Which clusters and sub-clusters each occupation belongs to, per framework. One row per framework, occupation and sub-cluster: an occupation in two sub-clusters of one cluster has two rows, so to add employment over this table multiply by cluster_weight or sub_cluster_weight (each sums to 1 over an occupation's rows); Σ employment × weight then gives the area total, not a double count.",
    columns: {
      framework: FRAMEWORK,
      soc_code: 'Occupation code (SOC 2018, or OEWS aggregate code as the framework uses it).',
      cluster: 'Career Cluster.',
      sub_cluster: 'Sub-Cluster within the Career Cluster (for legacy_16, the pathway).',
      interdisciplinary: 'True when the framework places the occupation in two or more clusters.',
      cluster_weight:
        "This row's share of the occupation when splitting by cluster: 1 ÷ (clusters it sits in × this cluster's rows for it). Summed over a cluster's rows it is 1 ÷ number of clusters; over all the occupation's rows, 1.",
      sub_cluster_weight:
        "This row's share of the occupation when splitting by sub-cluster: 1 ÷ number of sub-clusters it sits in (rows), so it sums to 1 over the occupation's rows.",
    },
  },
  cluster_demand: {
    title: 'Demand by Career Cluster',
    description: 'One row per area and Career Cluster.',
    columns: {
      ...area,
      framework: FRAMEWORK,
      cluster: 'Career Cluster.',
      occupations: 'Number of detailed occupations in the cluster with a row for this area.',
      employment: 'Jobs in the cluster, counting an occupation fully in every cluster it belongs to (so clusters overlap and do not add up to the area total).',
      employment_allocated:
        "Jobs in the cluster with each occupation split evenly among its clusters, in whole persons; the clusters of an area add up exactly to the area's mapped employment.",
      occupations_with_suppressed_employment: 'Occupations whose employment BLS did not publish (not counted in employment).',
      annual_openings: 'Average annual openings, counting each occupation fully (national projections).',
      annual_openings_allocated: 'Average annual openings split among clusters like employment_allocated.',
      projection_base_employment: 'Base-year employment of the occupations with a projection, persons.',
      projected_employment: 'Projected employment of those occupations, persons.',
      projection_base_employment_allocated:
        'Base-year projected employment split among clusters like employment_allocated; the clusters of an area add up to its mapped base-year employment.',
      projected_employment_allocated: 'Projected employment split among clusters like employment_allocated.',
      projected_change_pct: 'Projected change, percent: total projected ÷ total base − 1.',
      median_annual_wage:
        "Median of the occupations' median annual wages, weighted by allocated employment (employment_allocated: an occupation shared with other clusters weighs only its share, the same persons counted once as in the other allocated figures): half the cluster's allocated jobs are in occupations paying this or less. Occupations without a published median are left out (see occupations_with_suppressed_wages).",
      median_annual_wage_flag: 'top_coded when the median falls on an occupation whose wage is at or above the top code.',
      occupations_with_suppressed_wages: 'Occupations whose median annual wage BLS did not publish (or publishes hourly only).',
      high_opportunity_occupations: 'Occupations in the cluster that are high opportunity under the policy.',
      high_opportunity_employment: 'Jobs in those occupations (gross, like employment).',
      high_opportunity_employment_share: 'high_opportunity_employment ÷ employment.',
      oews_release: releases.oews_release,
      projection_source: "Where the cluster's projections come from: BLS Employment Projections (the nation) or Projections Central (states); empty when the area has none.",
      projection_period: releases.projection_period,
    },
  },
};
TABLE_DOCS.coverage = {
  title: 'Coverage',
  description: 'One row per area: how much of its employment (OEWS) and base-year projected employment reaches a Career Cluster, and every code that does not.',
  columns: {
    ...area,
    employment: 'Employment in all detailed occupations of the area (OEWS); empty when the snapshot has no OEWS estimate for the area.',
    mapped_employment: 'Of which in occupations that sit in a Career Cluster.',
    unmapped_employment: 'Of which in occupations that sit in no Career Cluster.',
    employment_mapped_pct: 'mapped_employment as a percent of employment.',
    projection_base_employment: 'Base-year projected employment in all detailed occupations of the area; empty when the area has no projections.',
    mapped_projection_base_employment: 'Of which in occupations that sit in a Career Cluster.',
    unmapped_projection_base_employment: 'Of which in occupations that sit in no Career Cluster.',
    projection_base_employment_mapped_pct: 'mapped_projection_base_employment as a percent of projection_base_employment.',
    unmapped_codes: 'The codes that reach no cluster, each with its title, employment and base-year projected employment.',
    occupations_without_program:
      'Occupations of the area that no CIP program in the framework\'s crosswalk leads to (the crosswalk\'s CIP 99.9999 "NO MATCH" rows, which are not published as programs).',
  },
};
TABLE_DOCS.programs = {
  title: 'Program outlook (CIP)',
  description:
    "One row per area and CIP 2020 program in Advance CTE's Full Framework crosswalk: the clusters it belongs to and the occupations it prepares for, each occupation counted once.",
  columns: {
    ...area,
    cip_code: 'Classification of Instructional Programs (CIP 2020) code, e.g. 51.3801.',
    cip_title: 'CIP 2020 program title.',
    clusters: 'Career Clusters the program sits in.',
    sub_clusters: 'Sub-Clusters the program sits in.',
    occupations: 'Number of related occupations with a row for this area.',
    occupation_codes: 'The related occupation codes.',
    employment: 'Jobs in the related occupations (each counted once).',
    annual_openings: 'Average annual openings in the related occupations.',
    median_annual_wage: "Employment-weighted median of the related occupations' median annual wages.",
    median_annual_wage_flag: 'top_coded when the median falls on an occupation paid at or above the top code.',
    high_opportunity_occupations: 'Related occupations that are high opportunity under the policy.',
    interest_code:
      'The program\'s interest code (RIASEC, e.g. "SIR"): its occupations\' O*NET interest scores weighted by their employment in the area, the three highest first; empty when none has scores.',
    policy: 'The high-opportunity policy used (see the manifest for its version and sources).',
  },
};
TABLE_DOCS.areas = {
  title: 'Areas',
  description: 'The geography of the snapshot: one row per area.',
  columns: {
    ...area,
    state_fips: 'Two-digit state FIPS code (for metro areas, the state OEWS lists first).',
    state_abbr: 'USPS state abbreviation (US for the nation).',
    all_occupations_employment: "The area's total employment as OEWS publishes it (all occupations, 00-0000); empty when the snapshot has no OEWS estimate for the area.",
    all_occupations_median_wage: "The area's median annual wage over all occupations (OEWS 00-0000), dollars.",
    all_occupations_growth_pct: 'Projected employment growth of all occupations over the projection period, percent (BLS for the nation, Projections Central for states).',
  },
};
const INDUSTRY_ROW = {
  area_code: 'Area: 99, the nation (OEWS publishes industry estimates nationally).',
  framework: FRAMEWORK,
  cluster: 'Career Cluster.',
  sub_cluster: "Sub-Cluster; empty on the cluster's own rows (level = cluster).",
  level: 'cluster (the cluster as a whole) or sub_cluster. Add up rows of one level only.',
};
TABLE_DOCS.cluster_industry_demand = {
  title: 'Demand by Career Cluster and industry sector',
  description:
    "One row per framework, cluster (and sub-cluster) and 2-digit NAICS sector, from OEWS national industry estimates (only when the run reads them, `--industries`): where the cluster's workers work. Each sector is published under one ownership code that already combines the ownerships BLS counts in it, so the sectors partition employment and no worker is counted twice. Allocated figures split an occupation among its clusters (or sub-clusters) exactly as in cluster_demand.",
  columns: {
    ...INDUSTRY_ROW,
    naics_sector: 'Sector as BLS writes it: 11, 31-33, 44-45, 48-49, …, and 99 for government (OEWS designation; it stands for NAICS 92 Public Administration).',
    naics_title: 'Sector title as BLS publishes it.',
    occupations: 'Detailed occupations of the cluster with a row in this sector.',
    employment: "Jobs in the cluster's occupations in this sector, counting an occupation fully in every cluster it belongs to.",
    employment_allocated:
      "Jobs in this sector with each occupation split among its clusters (or sub-clusters) in whole persons; over all sectors and clusters they add up to the sectors' published detailed employment.",
    occupations_with_suppressed_employment: 'Occupations whose employment in this sector BLS did not publish (**): left out of the sums, never counted as zero.',
    share_of_cluster: "This sector's share of the cluster's (or sub-cluster's) allocated employment across sectors.",
    median_annual_wage: "Median of the occupations' median annual wages in this sector, weighted by allocated employment.",
    median_annual_wage_flag: 'top_coded when the median falls on a wage at or above the top code.',
    aligned:
      "True when Advance CTE's NAICS crosswalk links this sector to the cluster (any of its sub-clusters; on sub-cluster rows, to that sub-cluster). Empty for the legacy 16 clusters, which have no such crosswalk.",
  },
};
TABLE_DOCS.industry_alignment = {
  title: 'Industry alignment',
  description:
    'One row per cluster and sub-cluster of the 2024 framework: how much of its employment works in the sectors the framework aligns with it, and the largest sectors outside them (for recruiting advisory-board and work-based-learning partners).',
  columns: {
    ...INDUSTRY_ROW,
    employment_allocated: 'Allocated employment of the cluster across all sectors.',
    aligned_employment_allocated: 'Of which in the aligned sectors.',
    aligned_share: 'aligned_employment_allocated ÷ employment_allocated.',
    aligned_sectors: "The aligned sectors that employ the cluster's workers.",
    top_sectors_outside: "The three sectors outside the aligned ones with the most of the cluster's employment, each with its share.",
  },
};
TABLE_DOCS.industry_subclusters = {
  title: 'Sub-cluster to industry crosswalk',
  description:
    "Advance CTE's NAICS crosswalk (NAICS_Subclusters_Crosswalk.xlsx): the 2-digit sectors each sub-cluster is aligned with, as imported by `lmi crosswalks import-naics`.",
  columns: {
    framework: FRAMEWORK,
    cluster: 'Career Cluster.',
    sub_cluster: 'Sub-Cluster.',
    naics_sector: 'Sector as the framework writes it (92 is Public Administration).',
    naics_title: 'Sector title.',
    oews_sector: 'The OEWS sector that measures it: the same code, except 92 → 99 (OEWS publishes government employment as its sector 99; see crosswalks/naics_sectors.md).',
  },
};
const RIASEC = {
  realistic: 'Realistic interest (hands-on work with things, tools, machines), O*NET scale 1 (low) to 7 (high).',
  investigative: 'Investigative interest (ideas, research, problem solving), 1 to 7.',
  artistic: 'Artistic interest (self-expression, design, creation), 1 to 7.',
  social: 'Social interest (helping, teaching, caring for people), 1 to 7.',
  enterprising: 'Enterprising interest (leading, persuading, starting things), 1 to 7.',
  conventional: 'Conventional interest (procedures, data, order), 1 to 7.',
  interest_code: 'The three highest interests as letters (R I A S E C), highest first, e.g. "SIC"; ties in RIASEC order. Empty where there are no scores.',
};
TABLE_DOCS.occupation_titles = {
  title: 'Occupation titles',
  description:
    "Every title an occupation goes by, for search: OEWS's own title, O*NET's alternate titles and the job titles workers reported to O*NET (mapped from O*NET-SOC codes by their first seven characters; an OEWS aggregate code takes its members' titles).",
  columns: {
    soc_code: 'Occupation code as this snapshot publishes it.',
    title: 'A title people use for the occupation.',
    source: "oews (the occupation's own title), onet_alternate (O*NET Alternate Titles) or onet_reported (O*NET Sample of Reported Titles).",
  },
};
TABLE_DOCS.occupation_interests = {
  title: 'Occupation interest profiles (RIASEC)',
  description:
    'O*NET\'s Holland (RIASEC) interest scores per occupation code. Where several O*NET-SOC codes share one code (O*NET specialties, or the members of an OEWS aggregate), the score is the mean of those that have data; onet_codes_with_data says how many. Empty where O*NET has no scores (many "all other" occupations), never filled in.',
  columns: {
    soc_code: 'Occupation code as this snapshot publishes it.',
    ...RIASEC,
    onet_codes: 'O*NET-SOC codes that map to this occupation code.',
    onet_codes_with_data: 'Of which with interest scores (averaged).',
  },
};
TABLE_DOCS.cluster_interests = {
  title: 'Cluster interest profiles (RIASEC)',
  description:
    'Per area, framework, cluster (and sub-cluster, level): the six interest scores of its occupations weighted by allocated employment (each person once, as in cluster_demand), over the occupations that have scores, with the share of employment that has them. Areas without OEWS employment have no rows.',
  columns: {
    area_code: 'OEWS area code.',
    framework: FRAMEWORK,
    cluster: 'Career Cluster.',
    sub_cluster: "Sub-Cluster; empty on the cluster's own rows.",
    level: 'cluster or sub_cluster.',
    ...RIASEC,
    employment_allocated: 'Allocated employment of the cluster in the area.',
    employment_with_interest_data: 'Of which in occupations with interest scores (the scores average over these only).',
    interest_data_share: 'employment_with_interest_data ÷ employment_allocated: how much of the cluster the profile describes.',
  },
};
TABLE_DOCS.related_occupations = {
  title: 'Related occupations',
  description:
    "O*NET's related occupations per occupation code (where an occupation leads): the best relatedness tier and index where several O*NET-SOC codes meet, and whether each related occupation shares a 2024 Career Cluster or bridges into others.",
  columns: {
    soc_code: 'Occupation code.',
    related_soc_code: 'A related occupation code.',
    related_soc_title: 'Its title.',
    relatedness_tier: "O*NET's tier: Primary-Short (most related), Primary-Long, Supplemental.",
    relatedness_index: "O*NET's order within the occupation's list (1 = most related).",
    same_cluster: 'True when the two share at least one 2024 Career Cluster.',
    other_clusters: "The related occupation's 2024 clusters that the occupation is not in: the bridges into other clusters.",
  },
};
const HISTORY_ROW = {
  release: 'OEWS release year (May estimates), e.g. 2014.',
  release_label: 'The release as BLS names it, e.g. "May 2014".',
  area_code: 'Area: 99, the nation.',
  code_system: "The release's occupation codes: SOC 2010 (May 2014-2018), hybrid SOC 2010/2018 (May 2019-2020) or SOC 2018 (May 2021 on).",
};
const HISTORY_DEMAND = {
  ...HISTORY_ROW,
  framework: FRAMEWORK,
  cluster: 'Career Cluster (2024 framework names for every release: old codes reach it through SOC 2018).',
  occupations: 'Occupation codes of the release (as carried to SOC 2018) in the cluster.',
  employment: 'Jobs, counting an occupation fully in every cluster it belongs to.',
  employment_allocated: "Jobs with each occupation split among its clusters in whole persons, as in cluster_demand: a release's clusters add up to its mapped detailed employment.",
  employment_via_split_allocated: 'Of the allocated jobs, those that came through an old code shared among several SOC 2018 codes (see history_coverage.split_codes).',
  occupations_with_suppressed_employment: 'Occupations whose employment BLS did not publish that year.',
  median_annual_wage: "Median of the occupations' median annual wages (nominal dollars of that May), weighted by allocated employment.",
  median_annual_wage_flag: "top_coded when the median falls on a wage at or above that year's top code.",
};
TABLE_DOCS.cluster_history = {
  title: 'Demand by Career Cluster over time',
  description:
    'One row per OEWS release (May 2014 on, with --history), framework and cluster, national: the time series behind "is this cluster growing?". Hive-partitioned by release (partitioned/cluster_history/release=2019/…). Old codes reach SOC 2018, and so the 2024 clusters, as described in history_coverage.',
  columns: HISTORY_DEMAND,
};
TABLE_DOCS.subcluster_history = {
  title: 'Demand by Sub-Cluster over time',
  description: 'As cluster_history, one row per release, framework, cluster and sub-cluster.',
  columns: { ...HISTORY_DEMAND, sub_cluster: 'Sub-Cluster within the Career Cluster.' },
};
TABLE_DOCS.occupation_history = {
  title: 'Occupations over time',
  description:
    "One row per release and occupation code (as of SOC 2018: the codes of May 2021 on), national. A May 2014-2020 code that maps to one SOC 2018 code carries its employment over whole; one that splits is shared among its SOC 2018 codes in proportion to their May 2021 employment, in whole persons, so each release's total is kept exactly.",
  columns: {
    ...HISTORY_ROW,
    soc_code: 'Occupation code (SOC 2018 detailed, or the OEWS code standing for several).',
    soc_title: 'Its title (newest SOC 2018 release).',
    employment: 'Jobs that release, carried to this code.',
    employment_via_split: 'Of which from old codes shared among several codes.',
    source_codes: "The release's own codes this row is made of.",
    annual_wage_median: 'Median annual wage (nominal) of the source code that gave this row the most employment.',
    annual_wage_median_flag: 'Why the wage is empty, as in occupations.',
  },
};
TABLE_DOCS.cluster_growth = {
  title: 'Cluster growth',
  description:
    "Change and compound annual growth of each cluster's allocated employment over 1, 3, 5 and 10 years to the newest release in the history, national; flagged where a change of code system falls inside the window.",
  columns: {
    area_code: 'Area: 99, the nation.',
    framework: FRAMEWORK,
    cluster: 'Career Cluster.',
    window_years: 'Years between the two releases: 1, 3, 5 or 10.',
    from_release: 'The earlier release.',
    to_release: 'The newest release in the history.',
    employment_from: 'Allocated employment in the earlier release.',
    employment_to: 'Allocated employment in the newest release.',
    change: 'employment_to − employment_from.',
    change_pct: 'Change in percent.',
    cagr_pct: 'Compound annual growth rate, percent a year.',
    code_system_change: 'True when the window spans a change of occupation codes (May 2019 hybrid codes, May 2021 SOC 2018): part of the change may be the codes, not the jobs.',
    split_share: "The larger, at either end, of the share of the cluster's employment that came through split codes.",
  },
};
TABLE_DOCS.history_coverage = {
  title: 'History coverage',
  description:
    'One row per release in the history: how much of its detailed employment reaches a 2024 Career Cluster, the codes that do not, and every code shared among several SOC 2018 codes with its rule and shares.',
  columns: {
    release: HISTORY_ROW.release,
    release_label: HISTORY_ROW.release_label,
    code_system: HISTORY_ROW.code_system,
    detailed_employment: "Σ of the release's detailed employment as the workbook states it, each code once.",
    mapped_employment: 'Of which in codes that reach a 2024 Career Cluster.',
    employment_mapped_pct: 'mapped_employment as a percent.',
    unmapped_codes: 'The codes that reach no cluster, with title and employment.',
    split_codes:
      "The release's codes shared among several SOC 2018 codes: employment, the rule that mapped them, and each target's share (employment) and weight (its May 2021 employment).",
    split_rule: 'How split codes are shared, in words.',
  },
};
const SUBCLUSTER_WORDING: Record<string, string> = {
  employment: 'Jobs in the sub-cluster, counting an occupation fully in every sub-cluster it belongs to (so sub-clusters overlap and do not add up to the area total).',
  employment_allocated:
    "Jobs in the sub-cluster with each occupation split evenly among all its sub-clusters, in whole persons; the sub-clusters of an area add up exactly to the area's mapped employment.",
  projection_base_employment_allocated:
    'Base-year projected employment split among sub-clusters like employment_allocated; the sub-clusters of an area add up to its mapped base-year employment.',
  annual_openings: 'Average annual openings, counting each occupation fully in every sub-cluster it belongs to.',
};
TABLE_DOCS.subcluster_demand = {
  title: 'Demand by Sub-Cluster',
  description:
    'One row per area, Career Cluster and Sub-Cluster. Allocated figures split an occupation among all its sub-clusters, so the sub-clusters of an area add up to its mapped employment.',
  // The cluster_demand lines, spoken of the sub-cluster ("in the cluster" → "in the sub-cluster").
  columns: Object.fromEntries(
    Object.entries(TABLE_DOCS.cluster_demand!.columns).flatMap(([k, v]) => {
      const said =
        SUBCLUSTER_WORDING[k] ??
        v
          .replace(/\b(in|of) the cluster\b/g, '$1 the sub-cluster')
          .replace(/the cluster's/g, "the sub-cluster's")
          .replace(/\bamong clusters\b/g, 'among sub-clusters');
      return k === 'cluster'
        ? [
            [k, 'Career Cluster the sub-cluster belongs to.'],
            ['sub_cluster', 'Sub-Cluster within the Career Cluster.'],
          ]
        : [[k, said]];
    }),
  ),
};

// The tables datasets publish of their own carry their docs with them (pipelines/).
for (const [table, { title, description, columns }] of Object.entries(DATASET_TABLES)) TABLE_DOCS[table] = { title, description, columns };

export function docsMarkdown(): string {
  const out = [
    '# Snapshot columns',
    '',
    'Every table is published as Parquet and as JSON (an array of row objects). Numbers are exact: suppressed values are empty (null) with a flag saying why, never zero.',
    '',
  ];
  for (const [table, doc] of Object.entries(TABLE_DOCS)) {
    out.push(`## ${doc.title} (\`${table}\`)`, '', doc.description, '', '| column | meaning |', '| --- | --- |');
    for (const [c, d] of Object.entries(doc.columns)) out.push(`| \`${c}\` | ${d.replaceAll('|', '\\|')} |`);
    out.push('');
  }
  return out.join('\n');
}
