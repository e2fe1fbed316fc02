/**
 * English stopwords (function words that carry little content), lower case, with apostrophes
 * removed forms included because normalisation may strip them. Applied to the source side only:
 * a headline needs its "of" and "to".
 */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren as at be because been before being below
between both but by can cannot could couldn did didn do does doesn doing don down during each few for from
further had hadn has hasn have haven having he her here hers herself him himself his how i if in into is
isn it its itself just me more most mustn my myself needn no nor not now of off on once only or other our
ours ourselves out over own same shan she should shouldn so some such than that the their theirs them
themselves then there these they this those through to too under until up very was wasn we were weren what
when where which while who whom why will with won would wouldn you your yours yourself yourselves ll re ve
d s t m o y ma`.split(/\s+/),
);
