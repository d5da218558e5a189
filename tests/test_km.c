/* tests/test_km.c - Kaplan-Meier retention curves (libcs_km_fit(3)): the
 * curve, quantiles, RMST, survival at a time and LTV against R's survival
 * package, fit_int against fit (counting pass and sort fallback, a large
 * random data set), time to value, and every error path.
 *
 * Expected values were computed once with R 4.x and survival 3.5.3; each
 * block below shows the R code that produced it, and the numbers are printed
 * with sprintf("%.17g", x).  In every block
 *
 *   time, n_risk, n_event, n_censor, surv, std_err, lower, upper
 *       are f$time, f$n.risk, f$n.event, f$n.censor, f$surv, f$std.err,
 *       f$lower, f$upper (std.err: Greenwood SE of the cumulative hazard);
 *   lower2, upper2 are f2$lower, f2$upper (the same fit at level 0.9).
 *
 * libcs's documented differences from R, which the checks apply: where R
 * gives NA bounds (S = 1 before the first event, S = 0 at the end) libcs
 * gives lower = upper = S; where R's std.err is Inf (once S has reached 0)
 * libcs gives NaN.  With non-integer weights R's default variance is the
 * robust (infinitesimal-jackknife) one; libcs's Greenwood variance is R's
 * robust = FALSE, so the weighted R call says robust = FALSE.
 *
 * RMST is summary(f, rmean = tau)$table["rmean"].  For tau before the first
 * time R's summary refuses ("Truncation point for the mean time in state is
 * < smallest survival"); S = 1 on [0, tau] there, so the RMST is tau itself,
 * and the tables hold tau.
 *
 * Tolerance: 1e-10, relative for values above 1 (ck_assert_close). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define R_NA NAN /* R's NA in a table of expected values */
#define TOL 1e-10

/* ==== data sets and R's results ========================================= */

/* ---- (1) Freireich et al. (1963) 6-MP arm, the textbook example of Kleinbaum &
 * Klein and of Collett: ties between events and censorings at t = 6 and 10 ----
 *
 *   > t <- c(6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35)
 *   > e <- c(1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0)
 *   > f <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.95)
 *   > f2 <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.9)
 * (columns of f and f2 as described above) */
static const double mp6_t[] = {
    6, 6, 6, 6, 7, 9, 10, 10,
    11, 13, 16, 17, 19, 20, 22, 23,
    25, 32, 32, 34, 35};
static const uint8_t mp6_e[] = {
    1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1,
    0, 0, 0, 0, 0};
static const double mp6_time[] = {
    6, 7, 9, 10, 11, 13, 16, 17,
    19, 20, 22, 23, 25, 32, 34, 35};
static const double mp6_n_risk[] = {
    21, 17, 16, 15, 13, 12, 11, 10,
    9, 8, 7, 6, 5, 4, 2, 1};
static const double mp6_n_event[] = {
    3, 1, 0, 1, 0, 1, 1, 0,
    0, 0, 1, 1, 0, 0, 0, 0};
static const double mp6_n_censor[] = {
    1, 0, 1, 1, 1, 0, 0, 1,
    1, 1, 0, 0, 1, 2, 1, 1};
static const double mp6_surv[] = {
    0.8571428571428571, 0.80672268907563016, 0.80672268907563016,
    0.75294117647058811, 0.75294117647058811, 0.69019607843137243,
    0.62745098039215674, 0.62745098039215674, 0.62745098039215674,
    0.62745098039215674, 0.53781512605042003, 0.44817927170868338,
    0.44817927170868338, 0.44817927170868338, 0.44817927170868338,
    0.44817927170868338};
static const double mp6_std_err[] = {
    0.089087080637474794, 0.10776353058777924, 0.10776353058777924,
    0.12796438288308193, 0.12796438288308193, 0.15475994592401993,
    0.18177334775294937, 0.18177334775294937, 0.18177334775294937,
    0.18177334775294937, 0.2384346320542351, 0.30030718788629052,
    0.30030718788629052, 0.30030718788629052, 0.30030718788629052,
    0.30030718788629052};
static const double mp6_lower[] = {
    0.61971795526598394, 0.56314656462223334, 0.56314656462223334,
    0.50319951079995651, 0.50319951079995651, 0.43161022248618408,
    0.36751085598750205, 0.36751085598750205, 0.36751085598750205,
    0.36751085598750205, 0.26777893676713499, 0.18805200595923241,
    0.18805200595923241, 0.18805200595923241, 0.18805200595923241,
    0.18805200595923241};
static const double mp6_upper[] = {
    0.95155174764699701, 0.92280901920288039, 0.92280901920288039,
    0.88936183516926537, 0.88936183516926537, 0.84906596334945061,
    0.80491218947184118, 0.80491218947184118, 0.80491218947184118,
    0.80491218947184118, 0.7467907176353944, 0.68014262849524132,
    0.68014262849524132, 0.68014262849524132, 0.68014262849524132,
    0.68014262849524132};
static const double mp6_lower2[] = {
    0.67110678059217288, 0.61247854398557933, 0.61247854398557933,
    0.55112338192788457, 0.55112338192788457, 0.47870030967424398,
    0.41261276800570501, 0.41261276800570501, 0.41261276800570501,
    0.41261276800570501, 0.31121408058184952, 0.22646208824501085,
    0.22646208824501085, 0.22646208824501085, 0.22646208824501085,
    0.22646208824501085};
static const double mp6_upper2[] = {
    0.94215940572012136, 0.91019783284668343, 0.91019783284668343,
    0.8735812432744231, 0.8735812432744231, 0.82976106501983171,
    0.78239122444256559, 0.78239122444256559, 0.78239122444256559,
    0.78239122444256559, 0.71923318722497243, 0.6481135841402933,
    0.6481135841402933, 0.6481135841402933, 0.6481135841402933,
    0.6481135841402933};
/* > quantile(f, c(0.1, 0.25, 0.3, 0.5, 0.75), conf.int = FALSE)   (NA -> LIBCS_EUNDEFINED) */
static const double mp6_qp[] = {
    0.10000000000000001, 0.25, 0.29999999999999999, 0.5, 0.75};
static const double mp6_q[] = {
    6, 13, 13, 23, R_NA};
/* > sapply(c(6, 8.5, 10, 23, 35, 40), function(tau) summary(f, rmean = tau)$table["rmean"])
 * and tau = 4, before the first time: RMST = tau (see above) */
static const double mp6_tau[] = {
    4, 6, 8.5, 10, 23, 35,
    40};
static const double mp6_rmst[] = {
    4, 6, 8.0672268907563023,
    9.2773109243697469, 17.909243697478988, 23.287394957983192,
    25.528291316526609};
/* > summary(f, times = c(0, 5, 6, 6.5, 10, 21.9, 22, 35, 50), extend = TRUE)$surv */
static const double mp6_at[] = {
    0, 5, 6, 6.5, 10, 21.899999999999999,
    22, 35, 50};
static const double mp6_s_at[] = {
    1, 1, 0.8571428571428571,
    0.8571428571428571, 0.75294117647058811, 0.62745098039215674,
    0.53781512605042003, 0.44817927170868338, 0.44817927170868338};

/* ---- (2a) survival's aml data, Maintained group (the first stratum of
 * survfit(Surv(time, status) ~ x, data = aml)) ----
 *
 *   > a <- aml[aml$x == "Maintained", ]
 *   > t <- a$time; e <- a$status
 *   > f <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.95)
 *   > f2 <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.9)
 * (columns of f and f2 as described above) */
static const double amlm_t[] = {
    9, 13, 13, 18, 23, 28, 31, 34,
    45, 48, 161};
static const uint8_t amlm_e[] = {
    1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0};
static const double amlm_time[] = {
    9, 13, 18, 23, 28, 31, 34, 45,
    48, 161};
static const double amlm_n_risk[] = {
    11, 10, 8, 7, 6, 5, 4, 3,
    2, 1};
static const double amlm_n_event[] = {
    1, 1, 1, 1, 0, 1, 1, 0,
    1, 0};
static const double amlm_n_censor[] = {
    0, 1, 0, 0, 1, 0, 0, 1,
    0, 1};
static const double amlm_surv[] = {
    0.90909090909090906, 0.81818181818181812, 0.71590909090909083,
    0.61363636363636354, 0.61363636363636354, 0.49090909090909085,
    0.36818181818181817, 0.36818181818181817, 0.18409090909090908,
    0.18409090909090908};
static const double amlm_std_err[] = {
    0.095346258924559224, 0.14213381090374028, 0.19508757792120712,
    0.2487341690815455, 0.2487341690815455, 0.33446776656157295,
    0.44181672693778834, 0.44181672693778834, 0.83378775488850887,
    0.83378775488850887};
static const double amlm_lower[] = {
    0.50808020576992974, 0.44742861468218142, 0.35019038590793838,
    0.26575204000128611, 0.26575204000128611, 0.16733090977685081,
    0.092829574936985182, 0.092829574936985182, 0.011738480123189602,
    0.011738480123189602};
static const double amlm_upper[] = {
    0.98667382266782311, 0.95116222858249166, 0.8990239741910534,
    0.83529924325022142, 0.83529924325022142, 0.75339979037081128,
    0.6570408323981638, 0.6570408323981638, 0.52501484272664145,
    0.52501484272664145};
static const double amlm_lower2[] = {
    0.6101574570968592, 0.52552354983949967, 0.41770409547698667,
    0.32345551089470465, 0.32345551089470465, 0.21403030291315769,
    0.12645997412406287, 0.12645997412406287, 0.022243397998711067,
    0.022243397998711067};
static const double amlm_upper2[] = {
    0.98178071255740007, 0.939327339190272, 0.87990444004801893,
    0.80953443637459876, 0.80953443637459876, 0.72009679156872664,
    0.61705041394141102, 0.61705041394141102, 0.47116618252922959,
    0.47116618252922959};
/* > quantile(f, c(0.25, 0.5, 0.75, 0.9), conf.int = FALSE)   (NA -> LIBCS_EUNDEFINED) */
static const double amlm_qp[] = {
    0.25, 0.5, 0.75, 0.90000000000000002};
static const double amlm_q[] = {
    18, 31, 48, R_NA};
/* > sapply(c(9, 20.5, 31, 100, 161, 200), function(tau) summary(f, rmean = tau)$table["rmean"])
 * and tau = 5, before the first time: RMST = tau (see above) */
static const double amlm_tau[] = {
    5, 9, 20.5, 31, 100, 161,
    200};
static const double amlm_rmst[] = {
    5, 9, 18.517045454545453,
    25.21590909090909, 41.415909090909089, 52.645454545454541,
    59.824999999999996};
/* > summary(f, times = c(1, 9, 13, 17.5, 48, 160, 161, 300), extend = TRUE)$surv */
static const double amlm_at[] = {
    1, 9, 13, 17.5, 48, 160,
    161, 300};
static const double amlm_s_at[] = {
    1, 0.90909090909090906, 0.81818181818181812,
    0.81818181818181812, 0.18409090909090908, 0.18409090909090908,
    0.18409090909090908, 0.18409090909090908};

/* ---- (2b) survival's aml data, Nonmaintained group (the second stratum); the
 * last time is an event, so S drops to 0 ----
 *
 *   > a <- aml[aml$x == "Nonmaintained", ]
 *   > t <- a$time; e <- a$status
 *   > f <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.95)
 *   > f2 <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.9)
 * (columns of f and f2 as described above) */
static const double amln_t[] = {
    5, 5, 8, 8, 12, 16, 23, 27,
    30, 33, 43, 45};
static const uint8_t amln_e[] = {
    1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1};
static const double amln_time[] = {
    5, 8, 12, 16, 23, 27, 30, 33,
    43, 45};
static const double amln_n_risk[] = {
    12, 10, 8, 7, 6, 5, 4, 3,
    2, 1};
static const double amln_n_event[] = {
    2, 2, 1, 0, 1, 1, 1, 1,
    1, 1};
static const double amln_n_censor[] = {
    0, 0, 0, 1, 0, 0, 0, 0,
    0, 0};
static const double amln_surv[] = {
    0.83333333333333337, 0.66666666666666674, 0.58333333333333337,
    0.58333333333333337, 0.48611111111111116, 0.38888888888888895,
    0.29166666666666674, 0.19444444444444448, 0.097222222222222238,
    0};
static const double amln_std_err[] = {
    0.12909944487358055, 0.20412414523193151, 0.2439750182371333,
    0.2439750182371333, 0.30472470011002201, 0.3779644730092272,
    0.47559486560567088, 0.62678317052800869, 0.94491118252306805,
    INFINITY};
static const double amln_lower[] = {
    0.48171494219537886, 0.33701893254140197, 0.27013892408549733,
    0.27013892408549733, 0.19187661961872829, 0.12627201219539366,
    0.072401608907771836, 0.03119864293121194, 0.0057463056958638346,
    R_NA};
static const double amln_upper[] = {
    0.95550936572806489, 0.85971179908443984, 0.80094019233338687,
    0.80094019233338687, 0.72967156977948544, 0.64981740828931511,
    0.56088605267140923, 0.46142947623811392, 0.34890386111074972,
    R_NA};
static const double amln_lower2[] = {
    0.55747768856873925, 0.39531602419137729, 0.3214736302023905,
    0.3214736302023905, 0.23571444720132789, 0.16135465709025271,
    0.097798874872532873, 0.046262345005378472, 0.010668302903133029,
    R_NA};
static const double amln_upper2[] = {
    0.94470047461022899, 0.83765918714989296, 0.77414316305682918,
    0.77414316305682918, 0.69765149408253435, 0.61323995321398039,
    0.52046942896970927, 0.41787861784627317, 0.30226747154378519,
    R_NA};
/* > quantile(f, c(0.25, 0.5, 0.75, 0.9, 0.99), conf.int = FALSE)   (NA -> LIBCS_EUNDEFINED) */
static const double amln_qp[] = {
    0.25, 0.5, 0.75, 0.90000000000000002, 0.98999999999999999};
static const double amln_q[] = {
    8, 23, 33, 43, 45};
/* > sapply(c(5, 8, 10.5, 30, 45, 60), function(tau) summary(f, rmean = tau)$table["rmean"])
 * and tau = 2, before the first time: RMST = tau (see above) */
static const double amln_tau[] = {
    2, 5, 8, 10.5, 30, 45,
    60};
static const double amln_rmst[] = {
    2, 5, 7.5,
    9.1666666666666679, 19.694444444444446, 22.708333333333336,
    22.708333333333336};
/* > summary(f, times = c(4.99, 5, 8, 12, 29.5, 44, 45, 46), extend = TRUE)$surv */
static const double amln_at[] = {
    4.9900000000000002, 5, 8, 12, 29.5, 44,
    45, 46};
static const double amln_s_at[] = {
    1, 0.83333333333333337, 0.66666666666666674,
    0.58333333333333337, 0.38888888888888895, 0.097222222222222238,
    0, 0};

/* ---- (3) non-integer case weights (one of them 0), Greenwood variance:
 * robust = FALSE, since R's default for non-integer weights is the
 * infinitesimal-jackknife variance ----
 *
 *   > t <- c(1, 2, 2, 3, 3, 3, 5, 6, 6, 8, 9, 11, 12, 12, 15)
 *   > e <- c(1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0)
 *   > w <- c(1.5, 0.25, 2.0, 0.75, 1.125, 0.4, 3.3, 0.6, 1.0, 0.0, 2.2, 0.9, 1.7, 0.35, 1.05)
 *   > f <- survfit(Surv(t, e) ~ 1, weights = w, robust = FALSE, conf.type = "log-log", conf.int = 0.95)
 *   > f2 <- survfit(Surv(t, e) ~ 1, weights = w, robust = FALSE, conf.type = "log-log", conf.int = 0.9)
 * (columns of f and f2 as described above) */
static const double wtd_t[] = {
    1, 2, 2, 3, 3, 3, 5, 6,
    6, 8, 9, 11, 12, 12, 15};
static const uint8_t wtd_e[] = {
    1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0};
static const double wtd_w[] = {
    1.5, 0.25, 2, 0.75,
    1.125, 0.40000000000000002, 3.2999999999999998, 0.59999999999999998,
    1, 0, 2.2000000000000002, 0.90000000000000002,
    1.7, 0.34999999999999998, 1.05};
static const double wtd_time[] = {
    1, 2, 3, 5, 6, 8, 9, 11,
    12, 15};
static const double wtd_n_risk[] = {
    17.125, 15.624999999999998, 13.374999999999998,
    11.099999999999998, 7.7999999999999989, 6.1999999999999993,
    6.1999999999999993, 3.9999999999999996, 3.0999999999999996,
    1.05};
static const double wtd_n_event[] = {
    1.5, 0.25, 1.875,
    0, 1.6000000000000001, 0,
    2.2000000000000002, 0.90000000000000002, 0.34999999999999998,
    0};
static const double wtd_n_censor[] = {
    0, 2, 0.40000000000000002,
    3.2999999999999998, 0, 0,
    0, 0, 1.7,
    1.05};
static const double wtd_surv[] = {
    0.91240875912408759, 0.8978102189781022, 0.77194897332696633,
    0.77194897332696633, 0.61360046597784512, 0.61360046597784512,
    0.39587126837280329, 0.30680023298892256, 0.27216149700630227,
    0.27216149700630227};
static const double wtd_std_err[] = {
    0.074872153809399614, 0.081526007031881911, 0.1372466991279061,
    0.1372466991279061, 0.22786366712800651, 0.22786366712800651,
    0.37500870418748661, 0.46174903722440847, 0.50424983079098951,
    0.50424983079098951};
static const double wtd_lower[] = {
    0.63481407257409361, 0.62210892231659298, 0.48105996055930789,
    0.48105996055930789, 0.29560682483493128, 0.29560682483493128,
    0.12895455788874854, 0.078742762996232632, 0.06196885508321618,
    0.06196885508321618};
static const double wtd_upper[] = {
    0.98167861694018688, 0.97581533149050148, 0.91251123992271821,
    0.91251123992271821, 0.82223115607580277, 0.82223115607580277,
    0.65755183320116251, 0.57735459535472622, 0.54392718874301094,
    0.54392718874301094};
static const double wtd_lower2[] = {
    0.70376972950732197, 0.68798086990137752, 0.53839381579493417,
    0.53839381579493417, 0.34920170277379226, 0.34920170277379226,
    0.16479327868796986, 0.10570603534560798, 0.085309982728591804,
    0.085309982728591804};
static const double wtd_upper2[] = {
    0.97636470450328527, 0.9694074546327246, 0.89744395523247267,
    0.89744395523247267, 0.79713471443493444, 0.79713471443493444,
    0.62110774472130181, 0.53725481432908606, 0.50257004809261596,
    0.50257004809261596};
/* > quantile(f, c(0.1, 0.25, 0.5, 0.75), conf.int = FALSE)   (NA -> LIBCS_EUNDEFINED) */
static const double wtd_qp[] = {
    0.10000000000000001, 0.25, 0.5, 0.75};
static const double wtd_q[] = {
    2, 6, 9, R_NA};
/* > sapply(c(1, 2.5, 6, 12, 15, 20), function(tau) summary(f, rmean = tau)$table["rmean"])
 * and tau = 0.5, before the first time: RMST = tau (see above) */
static const double wtd_tau[] = {
    0.5, 1, 2.5, 6, 12, 15,
    20};
static const double wtd_rmst[] = {
    0.5, 1, 2.3613138686131387,
    5.1260658980830884, 8.0654100657511538, 8.8818945567700602,
    10.242702041801572};
/* > summary(f, times = c(0.5, 1, 2, 2.5, 8, 12, 14.99, 15, 16), extend = TRUE)$surv */
static const double wtd_at[] = {
    0.5, 1, 2, 2.5, 8, 12,
    14.99, 15, 16};
static const double wtd_s_at[] = {
    1, 0.91240875912408759, 0.8978102189781022,
    0.8978102189781022, 0.61360046597784512, 0.27216149700630227,
    0.27216149700630227, 0.27216149700630227, 0.27216149700630227};

/* ---- (4a) S = 0.5 exactly on the flat stretch [2, 5), and S = 0.25 exactly from
 * the last drop (t = 5) to the end (t = 9): R's midpoint rules ----
 *
 *   > t <- c(2, 2, 2, 2, 3, 4, 5, 9)
 *   > e <- c(1, 1, 1, 1, 0, 0, 1, 0)
 *   > f <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.95)
 *   > f2 <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.9)
 * (columns of f and f2 as described above) */
static const double half_t[] = {
    2, 2, 2, 2, 3, 4, 5, 9};
static const uint8_t half_e[] = {
    1, 1, 1, 1, 0, 0, 1, 0};
static const double half_time[] = {
    2, 3, 4, 5, 9};
static const double half_n_risk[] = {
    8, 4, 3, 2, 1};
static const double half_n_event[] = {
    4, 0, 0, 1, 0};
static const double half_n_censor[] = {
    0, 1, 1, 0, 1};
static const double half_surv[] = {
    0.5, 0.5, 0.5,
    0.25, 0.25};
static const double half_std_err[] = {
    0.35355339059327379, 0.35355339059327379, 0.35355339059327379,
    0.79056941504209488, 0.79056941504209488};
static const double half_lower[] = {
    0.15203589029902395, 0.15203589029902395, 0.15203589029902395,
    0.014420423806139121, 0.014420423806139121};
static const double half_upper[] = {
    0.77486501206688874, 0.77486501206688874, 0.77486501206688874,
    0.63549392516033976, 0.63549392516033976};
static const double half_lower2[] = {
    0.20109809124909855, 0.20109809124909855, 0.20109809124909855,
    0.028959246108807086, 0.028959246108807086};
static const double half_upper2[] = {
    0.74115810762024148, 0.74115810762024148, 0.74115810762024148,
    0.58123578005696408, 0.58123578005696408};
/* > quantile(f, c(0.25, 0.4, 0.5, 0.6, 0.75, 0.8), conf.int = FALSE)   (NA -> LIBCS_EUNDEFINED) */
static const double half_qp[] = {
    0.25, 0.40000000000000002, 0.5,
    0.59999999999999998, 0.75, 0.80000000000000004};
static const double half_q[] = {
    2, 2, 3.5, 5, 7, R_NA};
/* > sapply(c(2, 3.5, 5, 9, 12), function(tau) summary(f, rmean = tau)$table["rmean"])
 * and tau = 1, before the first time: RMST = tau (see above) */
static const double half_tau[] = {
    1, 2, 3.5, 5, 9, 12};
static const double half_rmst[] = {
    1, 2, 2.75,
    3.5, 4.5, 5.25};
/* > summary(f, times = c(1, 2, 4, 5, 9, 10), extend = TRUE)$surv */
static const double half_at[] = {
    1, 2, 4, 5, 9, 10};
static const double half_s_at[] = {
    1, 0.5, 0.5,
    0.25, 0.25, 0.25};

/* ---- (4b) S drops to 0 (two events among the last two at risk) ----
 *
 *   > t <- c(1, 3, 3, 4, 6, 6, 7, 8, 8)
 *   > e <- c(1, 1, 0, 1, 1, 0, 1, 1, 1)
 *   > f <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.95)
 *   > f2 <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.9)
 * (columns of f and f2 as described above) */
static const double zero_t[] = {
    1, 3, 3, 4, 6, 6, 7, 8,
    8};
static const uint8_t zero_e[] = {
    1, 1, 0, 1, 1, 0, 1, 1, 1};
static const double zero_time[] = {
    1, 3, 4, 6, 7, 8};
static const double zero_n_risk[] = {
    9, 8, 6, 5, 3, 2};
static const double zero_n_event[] = {
    1, 1, 1, 1, 1, 2};
static const double zero_n_censor[] = {
    0, 1, 0, 1, 0, 0};
static const double zero_surv[] = {
    0.88888888888888884, 0.77777777777777768, 0.64814814814814814,
    0.51851851851851849, 0.34567901234567899, 0};
static const double zero_std_err[] = {
    0.11785113019775792, 0.17817416127494959, 0.25510657592340708,
    0.33923349639940492, 0.53079754308590366, INFINITY};
static const double zero_lower[] = {
    0.43296509022580565, 0.36475123116547392, 0.25317459438599577,
    0.16406665034581661, 0.059098019209992657, R_NA};
static const double zero_upper[] = {
    0.983564028525579, 0.93929644248660171, 0.87206762779799019,
    0.78768893349845381, 0.67104547907516854, R_NA};
static const double zero_lower2[] = {
    0.54295640262988798, 0.44636330970050808, 0.3194239439065652,
    0.21524180422183187, 0.089235987048019355, R_NA};
static const double zero_upper2[] = {
    0.97754072847636497, 0.92468648091731431, 0.84808970923419713,
    0.7551535617513162, 0.62691335291903449, R_NA};
/* > quantile(f, c(0.25, 0.5, 0.75, 0.9, 0.99), conf.int = FALSE)   (NA -> LIBCS_EUNDEFINED) */
static const double zero_qp[] = {
    0.25, 0.5, 0.75, 0.90000000000000002, 0.98999999999999999};
static const double zero_q[] = {
    4, 7, 8, 8, 8};
/* > sapply(c(1, 4.5, 7, 8, 10), function(tau) summary(f, rmean = tau)$table["rmean"])
 * and tau = 0.5, before the first time: RMST = tau (see above) */
static const double zero_tau[] = {
    0.5, 1, 4.5, 7, 8, 10};
static const double zero_rmst[] = {
    0.5, 1, 3.8796296296296293,
    5.3703703703703702, 5.716049382716049, 5.716049382716049};
/* > summary(f, times = c(0.5, 3, 7.5, 8, 9), extend = TRUE)$surv */
static const double zero_at[] = {
    0.5, 3, 7.5, 8, 9};
static const double zero_s_at[] = {
    1, 0.77777777777777768, 0.34567901234567899,
    0, 0};

/* ---- time to value: days from start to the first value event (real-valued);
 * customers who have not reached value yet are censored at their age ----
 *
 *   > t <- c(1.5, 2, 2, 3, 3.5, 4, 4, 5.25, 6, 7, 9, 10, 12, 14, 21, 21)
 *   > e <- c(1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0)
 *   > f <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.95)
 *   > f2 <- survfit(Surv(t, e) ~ 1, conf.type = "log-log", conf.int = 0.9)
 * (columns of f and f2 as described above) */
static const double ttv_t[] = {
    1.5, 2, 2, 3, 3.5, 4, 4, 5.25,
    6, 7, 9, 10, 12, 14, 21, 21};
static const uint8_t ttv_e[] = {
    1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0};
static const double ttv_time[] = {
    1.5, 2, 3, 3.5, 4, 5.25, 6, 7,
    9, 10, 12, 14, 21};
static const double ttv_n_risk[] = {
    16, 15, 13, 12, 11, 9, 8, 7,
    6, 5, 4, 3, 2};
static const double ttv_n_event[] = {
    1, 2, 0, 1, 2, 1, 0, 1,
    1, 0, 1, 1, 0};
static const double ttv_n_censor[] = {
    0, 0, 1, 0, 0, 0, 1, 0,
    0, 1, 0, 0, 2};
static const double ttv_surv[] = {
    0.9375, 0.8125, 0.8125,
    0.74479166666666663, 0.609375, 0.54166666666666663,
    0.54166666666666663, 0.46428571428571425, 0.38690476190476186,
    0.38690476190476186, 0.2901785714285714, 0.19345238095238093,
    0.19345238095238093};
static const double ttv_std_err[] = {
    0.064549722436790274, 0.12009611535381536, 0.12009611535381536,
    0.14832004078624877, 0.20542846614053931, 0.23683273335783547,
    0.23683273335783547, 0.28266458462153937, 0.33650052114759155,
    0.33650052114759155, 0.44335756908609786, 0.60268781365861435,
    0.60268781365861435};
static const double ttv_lower[] = {
    0.63234544173890384, 0.52460431082664949, 0.52460431082664949,
    0.45371710040742191, 0.32737852711709092, 0.2705779320959576,
    0.2705779320959576, 0.20606951467290008, 0.14929661363651237,
    0.14929661363651237, 0.082303051497209803, 0.034329305193715152,
    0.034329305193715152};
static const double ttv_upper[] = {
    0.99095314174466642, 0.93535225796582944, 0.93535225796582944,
    0.89596098390615664, 0.80274671193169045, 0.75009152179792349,
    0.75009152179792349, 0.68887828691656761, 0.62243095010015059,
    0.62243095010015059, 0.54173724522041045, 0.44917746337060288,
    0.44917746337060288};
static const double ttv_lower2[] = {
    0.71575221905523767, 0.58413233906297335, 0.58413233906297335,
    0.50948029650917015, 0.37537100185387223, 0.31430762943972579,
    0.31430762943972579, 0.2450197679584844, 0.18252272152817117,
    0.18252272152817117, 0.10745381771217138, 0.049606163260211972,
    0.049606163260211972};
static const double ttv_upper2[] = {
    0.98762222999501448, 0.92293798487755008, 0.92293798487755008,
    0.87920067001571667, 0.77849624597599054, 0.72268493839218695,
    0.72268493839218695, 0.65798858348600009, 0.58852565734706297,
    0.58852565734706297, 0.50346153752480405, 0.40721100796177756,
    0.40721100796177756};
/* > quantile(f, c(0.1, 0.25, 0.5, 0.75, 0.8, 0.9), conf.int = FALSE)   (NA -> LIBCS_EUNDEFINED) */
static const double ttv_qp[] = {
    0.10000000000000001, 0.25, 0.5,
    0.75, 0.80000000000000004, 0.90000000000000002};
static const double ttv_q[] = {
    2, 3.5, 7, 14, 14, R_NA};
/* > sapply(c(3.5, 7, 30), function(tau) summary(f, rmean = tau)$table["rmean"])
 * and tau = 1, before the first time: RMST = tau (see above) */
static const double ttv_tau[] = {
    1, 3.5, 7, 30};
static const double ttv_rmst[] = {
    1, 3.1875, 5.26953125,
    11.034412202380953};
/* > summary(f, times = c(1, 4, 10, 21), extend = TRUE)$surv */
static const double ttv_at[] = {
    1, 4, 10, 21};
static const double ttv_s_at[] = {
    1, 0.609375, 0.38690476190476186,
    0.19345238095238093};

/* ==== the table of cases ================================================= */

struct km_case {
    const char *name;
    size_t n;
    const double *t, *w;
    const uint8_t *e;
    int integral; /* whole-number durations: fit_int applies too */
    size_t m;
    const double *time, *n_risk, *n_event, *n_censor, *surv, *std_err;
    const double *lower, *upper, *lower2, *upper2;
    size_t nq;
    const double *qp, *q;
    size_t nr;
    const double *tau, *rmst;
    size_t na;
    const double *at, *s_at;
};

#define KM_CASE(nm, w_, integral_)                                             \
    {#nm,         N_OF(nm##_t),   nm##_t,        w_,                           \
     nm##_e,      integral_,      N_OF(nm##_time), nm##_time,                  \
     nm##_n_risk, nm##_n_event,   nm##_n_censor, nm##_surv,                    \
     nm##_std_err, nm##_lower,    nm##_upper,    nm##_lower2,                  \
     nm##_upper2, N_OF(nm##_qp),  nm##_qp,       nm##_q,                       \
     N_OF(nm##_tau), nm##_tau,    nm##_rmst,     N_OF(nm##_at),                \
     nm##_at,     nm##_s_at}

static const struct km_case cases[] = {
    KM_CASE(mp6, NULL, 1),  KM_CASE(amlm, NULL, 1), KM_CASE(amln, NULL, 1),
    KM_CASE(wtd, wtd_w, 1), KM_CASE(half, NULL, 1), KM_CASE(zero, NULL, 1),
    KM_CASE(ttv, NULL, 0),
};
#define NCASES ((int)N_OF(cases))

/* ==== helpers ============================================================ */

/* the curve's eight columns, read back with libcs_km_curve */
struct curve {
    size_t m;
    double *col[8]; /* time, n_risk, n_event, n_censor, surv, std_err,
                       lower, upper */
};

static const char *const col_name[8] = {"time",     "n_risk", "n_event",
                                        "n_censor", "surv",   "std_err",
                                        "lower",    "upper"};

static struct curve read_curve(const libcs_km *km)
{
    struct curve c;
    size_t needed = 0;
    ck_assert_ok(libcs_km_size(km, &c.m));
    ck_assert_ok(libcs_km_curve(km, 0, NULL, NULL, NULL, NULL, NULL, NULL,
                                NULL, NULL, &needed));
    ck_assert_uint_eq(needed, c.m);
    for (int a = 0; a < 8; a++) {
        c.col[a] = malloc((c.m ? c.m : 1) * sizeof(double));
        ck_assert_ptr_nonnull(c.col[a]);
    }
    ck_assert_ok(libcs_km_curve(km, c.m, c.col[0], c.col[1], c.col[2],
                                c.col[3], c.col[4], c.col[5], c.col[6],
                                c.col[7], &needed));
    ck_assert_uint_eq(needed, c.m);
    return c;
}

static void free_curve(struct curve *c)
{
    for (int a = 0; a < 8; a++)
        free(c->col[a]);
}

static libcs_km *fit_case(const struct km_case *k, double level)
{
    libcs_km *km = NULL;
    size_t bad = (size_t)-1;
    ck_assert_ok(libcs_km_fit(k->n, k->t, k->e, k->w, level, &km, &bad));
    ck_assert_ptr_nonnull(km);
    ck_assert_uint_eq(bad, (size_t)-1);
    return km;
}

/* the case's durations as int32_t (integral cases only) */
static int32_t *int_durations(const struct km_case *k)
{
    int32_t *d = malloc(k->n * sizeof *d);
    ck_assert_ptr_nonnull(d);
    for (size_t i = 0; i < k->n; i++) {
        d[i] = (int32_t)k->t[i];
        ck_assert((double)d[i] == k->t[i]);
    }
    return d;
}

/* Compare a fitted curve with R's columns at level 0.95 (second = 0) or 0.9
 * (second = 1), applying the documented differences. */
static void check_curve(const libcs_km *km, const struct km_case *k,
                        int second)
{
    struct curve c = read_curve(km);
    ck_assert_msg(c.m == k->m, "%s: %zu distinct times, R has %zu", k->name,
                  c.m, k->m);
    const double *want[8] = {k->time,
                             k->n_risk,
                             k->n_event,
                             k->n_censor,
                             k->surv,
                             k->std_err,
                             second ? k->lower2 : k->lower,
                             second ? k->upper2 : k->upper};
    for (size_t i = 0; i < c.m; i++) {
        for (int a = 0; a < 8; a++) {
            double g = c.col[a][i], w = want[a][i];
            if (a == 5 && isinf(w)) {
                /* R: Inf once S has reached 0; libcs: NaN */
                ck_assert_msg(isnan(g), "%s: std_err[%zu] = %.17g, want NaN",
                              k->name, i, g);
            } else if (a >= 6 && isnan(w)) {
                /* R: NA where S is 0 or 1; libcs: the point S */
                ck_assert_msg(c.col[4][i] == 0.0 || c.col[4][i] == 1.0,
                              "%s: R's NA bound at S = %.17g", k->name,
                              c.col[4][i]);
                ck_assert_msg(g == c.col[4][i],
                              "%s: %s[%zu] = %.17g, want S = %.17g", k->name,
                              col_name[a], i, g, c.col[4][i]);
            } else {
                ck_assert_msg(isfinite(g) && fabs(g - w) <=
                                                 TOL * fmax(1.0, fabs(w)),
                              "%s (level %s): %s[%zu] = %.17g, R %.17g",
                              k->name, second ? "0.9" : "0.95", col_name[a],
                              i, g, w);
            }
        }
        /* invariants: lower <= S <= upper, S non-increasing, risk falls */
        ck_assert(c.col[6][i] <= c.col[4][i] && c.col[4][i] <= c.col[7][i]);
        if (i > 0) {
            ck_assert(c.col[4][i] <= c.col[4][i - 1]);
            ck_assert(c.col[1][i] <= c.col[1][i - 1]);
            ck_assert(c.col[0][i] > c.col[0][i - 1]);
        }
    }
    free_curve(&c);
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Two curves column by column: exactly (tol = 0) or to a relative tol. */
static void check_same_curve(const libcs_km *x, const libcs_km *y, double tol,
                             const char *what)
{
    struct curve a = read_curve(x), b = read_curve(y);
    ck_assert_msg(a.m == b.m, "%s: %zu vs %zu distinct times", what, a.m, b.m);
    for (int c = 0; c < 8; c++)
        for (size_t i = 0; i < a.m; i++) {
            double g = a.col[c][i], w = b.col[c][i];
            int ok = tol == 0.0 ? same_double(g, w)
                                : same_double(g, w) ||
                                      fabs(g - w) <= tol * fmax(1.0, fabs(w));
            ck_assert_msg(ok, "%s: %s[%zu] = %.17g vs %.17g", what,
                          col_name[c], i, g, w);
        }
    free_curve(&a);
    free_curve(&b);
}

/* ==== curves against R =================================================== */

START_TEST(test_curve_level_95)
{
    const struct km_case *k = &cases[_i];
    libcs_km *km = fit_case(k, 0.95);
    check_curve(km, k, 0);
    libcs_km_free(km);
}
END_TEST

START_TEST(test_curve_level_90)
{
    const struct km_case *k = &cases[_i];
    libcs_km *km = fit_case(k, 0.9);
    check_curve(km, k, 1);
    libcs_km_free(km);
}
END_TEST

/* The level changes only the bounds. */
START_TEST(test_level_changes_only_bounds)
{
    const struct km_case *k = &cases[_i];
    libcs_km *a = fit_case(k, 0.95), *b = fit_case(k, 0.5);
    struct curve x = read_curve(a), y = read_curve(b);
    for (int c = 0; c < 6; c++)
        for (size_t i = 0; i < x.m; i++)
            ck_assert(same_double(x.col[c][i], y.col[c][i]));
    for (size_t i = 0; i < x.m; i++) { /* a narrower interval */
        ck_assert(y.col[6][i] >= x.col[6][i]);
        ck_assert(y.col[7][i] <= x.col[7][i]);
    }
    free_curve(&x);
    free_curve(&y);
    libcs_km_free(a);
    libcs_km_free(b);
}
END_TEST

/* The order of the records does not matter: the reversed input gives the
 * same curve (to 1e-14 with weights, whose sums may change order). */
START_TEST(test_order_independent)
{
    const struct km_case *k = &cases[_i];
    double *t = malloc(k->n * sizeof *t), *w = NULL;
    uint8_t *e = malloc(k->n);
    ck_assert(t && e);
    if (k->w) {
        w = malloc(k->n * sizeof *w);
        ck_assert_ptr_nonnull(w);
    }
    for (size_t i = 0; i < k->n; i++) {
        t[i] = k->t[k->n - 1 - i];
        e[i] = k->e[k->n - 1 - i];
        if (w)
            w[i] = k->w[k->n - 1 - i];
    }
    libcs_km *a = fit_case(k, 0.95), *b = NULL;
    ck_assert_ok(libcs_km_fit(k->n, t, e, w, 0.95, &b, NULL));
    check_same_curve(b, a, k->w ? 1e-14 : 0.0, k->name);
    libcs_km_free(a);
    libcs_km_free(b);
    free(t);
    free(e);
    free(w);
}
END_TEST

/* ==== quantiles, RMST, LTV, survival at a time against R ================== */

START_TEST(test_quantiles)
{
    const struct km_case *k = &cases[_i];
    libcs_km *km = fit_case(k, 0.95);
    for (size_t j = 0; j < k->nq; j++) {
        double t = SENTINEL;
        int rc = libcs_km_quantile(km, k->qp[j], &t);
        if (isnan(k->q[j])) { /* R: NA, the curve never gets there */
            ck_assert_msg(rc == LIBCS_EUNDEFINED && t == SENTINEL,
                          "%s: quantile(%g) returned %d, t = %.17g; R: NA",
                          k->name, k->qp[j], rc, t);
        } else {
            ck_assert_msg(rc == LIBCS_OK, "%s: quantile(%g) returned %d",
                          k->name, k->qp[j], rc);
            ck_assert_msg(fabs(t - k->q[j]) <= TOL * fmax(1.0, k->q[j]),
                          "%s: quantile(%g) = %.17g, R %.17g", k->name,
                          k->qp[j], t, k->q[j]);
        }
        if (k->qp[j] == 0.5) { /* the median is the 0.5 quantile */
            double med = SENTINEL;
            ck_assert_int_eq(libcs_km_median(km, &med), rc);
            ck_assert(med == t);
        }
    }
    libcs_km_free(km);
}
END_TEST

START_TEST(test_rmst_and_ltv)
{
    const struct km_case *k = &cases[_i];
    libcs_km *km = fit_case(k, 0.95);
    static const double margins[] = {0.0, 1.0, 49.5, 1234.56};
    for (size_t j = 0; j < k->nr; j++) {
        double r = SENTINEL;
        ck_assert_ok(libcs_km_rmst(km, k->tau[j], &r));
        ck_assert_msg(fabs(r - k->rmst[j]) <= TOL * fmax(1.0, k->rmst[j]),
                      "%s: rmst(%g) = %.17g, R %.17g", k->name, k->tau[j], r,
                      k->rmst[j]);
        for (size_t g = 0; g < N_OF(margins); g++) {
            double ltv = SENTINEL, want = margins[g] * k->rmst[j];
            ck_assert_ok(libcs_km_ltv(km, margins[g], k->tau[j], &ltv));
            ck_assert_msg(fabs(ltv - want) <= TOL * fmax(1.0, want),
                          "%s: ltv(%g, %g) = %.17g, want %.17g", k->name,
                          margins[g], k->tau[j], ltv, want);
        }
    }
    double r = SENTINEL; /* tau = 0: no area */
    ck_assert_ok(libcs_km_rmst(km, 0.0, &r));
    ck_assert(r == 0.0);
    libcs_km_free(km);
}
END_TEST

START_TEST(test_survival_at)
{
    const struct km_case *k = &cases[_i];
    libcs_km *km = fit_case(k, 0.95);
    for (size_t j = 0; j < k->na; j++) {
        double s = SENTINEL;
        ck_assert_ok(libcs_km_survival_at(km, k->at[j], &s));
        ck_assert_msg(fabs(s - k->s_at[j]) <= TOL,
                      "%s: S(%g) = %.17g, R %.17g", k->name, k->at[j], s,
                      k->s_at[j]);
    }
    /* at every distinct time S is the curve's value; just before it, the
     * previous one (1 before the first time) */
    struct curve c = read_curve(km);
    for (size_t i = 0; i < c.m; i++) {
        double s = SENTINEL, before = SENTINEL;
        ck_assert_ok(libcs_km_survival_at(km, c.col[0][i], &s));
        ck_assert(s == c.col[4][i]);
        ck_assert_ok(libcs_km_survival_at(
            km, nextafter(c.col[0][i], -INFINITY), &before));
        ck_assert(before == (i ? c.col[4][i - 1] : 1.0));
    }
    double s = SENTINEL;
    ck_assert_ok(libcs_km_survival_at(km, -1.0, &s));
    ck_assert(s == 1.0);
    free_curve(&c);
    libcs_km_free(km);
}
END_TEST

/* S is mathematically 1/2 from t = 12 on and never drops again, so by R's
 * rule the median is the midpoint of 12 and the last time, 24.  In floating
 * point S[12] comes out 1 ulp above 0.5 (in R and in libcs), and R's
 * quantile.survfit returns NA at exactly p = 0.5 because its first test
 * (max(1 - S) < p) has no tolerance; a hair away from 0.5 R gives 18:
 *
 *   > t <- 1:24; e <- rep(1:0, each = 12)
 *   > f <- survfit(Surv(t, e) ~ 1)
 *   > sprintf("%.17g", f$surv[12])                        "0.50000000000000011"
 *   > quantile(f, 0.5, conf.int = FALSE)                  NA
 *   > quantile(f, 0.5 + c(-1, 1) * 1e-12, conf.int = FALSE)   18 18
 *
 * libcs applies the tolerance throughout and gives 18: a known, deliberate
 * difference from R's round-off artefact. */
START_TEST(test_quantile_rounded_half)
{
    double t[24];
    uint8_t e[24];
    for (int i = 0; i < 24; i++) {
        t[i] = i + 1;
        e[i] = i < 12;
    }
    libcs_km *km = NULL;
    ck_assert_ok(libcs_km_fit(24, t, e, NULL, 0.95, &km, NULL));
    double q = SENTINEL;
    ck_assert_ok(libcs_km_median(km, &q));
    ck_assert_close(q, 18.0, TOL);
    ck_assert_ok(libcs_km_quantile(km, 0.5 - 1e-12, &q));
    ck_assert_close(q, 18.0, TOL);
    ck_assert_ok(libcs_km_quantile(km, 0.5 + 1e-12, &q));
    ck_assert_close(q, 18.0, TOL);
    ck_assert_fails(libcs_km_quantile(km, 0.5 + 1e-6, &q), LIBCS_EUNDEFINED,
                    q);
    libcs_km_free(km);
}
END_TEST

/* ==== time to value ======================================================= */

/* Days from sign-up to the first value event; customers who have not reached
 * value yet are censored at their age in days (the ttv block above):
 * median 7 days, a quarter reach value by day 3.5, three quarters by day 14,
 * and 90 % is never reached within the data (R: NA). */
START_TEST(test_time_to_value)
{
    libcs_km *km = NULL;
    size_t bad = (size_t)-1;
    ck_assert_ok(libcs_km_fit(N_OF(ttv_t), ttv_t, ttv_e, NULL, 0.95, &km,
                              &bad));
    double d = SENTINEL;
    ck_assert_ok(libcs_km_median(km, &d));
    ck_assert_close(d, 7.0, TOL);
    ck_assert_ok(libcs_km_quantile(km, 0.25, &d));
    ck_assert_close(d, 3.5, TOL);
    ck_assert_ok(libcs_km_quantile(km, 0.75, &d));
    ck_assert_close(d, 14.0, TOL);
    ck_assert_ok(libcs_km_quantile(km, 0.1, &d));
    ck_assert_close(d, 2.0, TOL);
    ck_assert_fails(libcs_km_quantile(km, 0.9, &d), LIBCS_EUNDEFINED, d);
    /* share not yet at value after 4 and 10 days */
    ck_assert_ok(libcs_km_survival_at(km, 4.0, &d));
    ck_assert_close(d, 0.609375, TOL);
    ck_assert_ok(libcs_km_survival_at(km, 10.0, &d));
    ck_assert_close(d, 0.38690476190476186, TOL);
    libcs_km_free(km);
}
END_TEST

/* ==== fit_int against fit ================================================= */

/* The R data sets with whole-number durations: the counting pass gives
 * exactly fit's curve, weights included (both sum tied weights in input
 * order). */
START_TEST(test_fit_int_matches_fit_cases)
{
    const struct km_case *k = &cases[_i];
    if (!k->integral)
        return;
    int32_t *d = int_durations(k);
    libcs_km *a = NULL, *b = fit_case(k, 0.95);
    size_t bad = (size_t)-1;
    ck_assert_ok(libcs_km_fit_int(k->n, d, k->e, k->w, 0.95, &a, &bad));
    ck_assert_uint_eq(bad, (size_t)-1);
    check_same_curve(a, b, 0.0, k->name);
    check_curve(a, k, 0); /* and so R's curve */
    libcs_km_free(a);
    libcs_km_free(b);
    free(d);
}
END_TEST

/* fit_int == fit on one data set, with and without weights */
static void check_int_vs_double(size_t n, const int32_t *d, const uint8_t *e,
                                const double *w, const char *what)
{
    double *t = malloc(n * sizeof *t);
    ck_assert_ptr_nonnull(t);
    for (size_t i = 0; i < n; i++)
        t[i] = (double)d[i];
    libcs_km *a = NULL, *b = NULL;
    ck_assert_ok(libcs_km_fit_int(n, d, e, w, 0.9, &a, NULL));
    ck_assert_ok(libcs_km_fit(n, t, e, w, 0.9, &b, NULL));
    check_same_curve(a, b, 0.0, what);
    libcs_km_free(a);
    libcs_km_free(b);
    free(t);
}

/* Sparse durations (the range is far above the count: the sort fallback),
 * dense ones far from 0 (the counting pass with a large offset), a single
 * record, and all durations equal. */
START_TEST(test_fit_int_sparse_and_edges)
{
    static const int32_t d1[] = {0, 1000000000};
    static const uint8_t e1[] = {1, 0};
    check_int_vs_double(2, d1, e1, NULL, "{0, 1e9}");

    static const int32_t d2[] = {5000, 0,          INT32_MAX, 5000,
                                 7,    1000000000, 5000,      INT32_MAX};
    static const uint8_t e2[] = {1, 0, 1, 0, 1, 1, 1, 0};
    static const double w2[] = {0.5, 1.25, 2.0, 0.75, 3.5, 0.125, 1.0, 0.3};
    check_int_vs_double(8, d2, e2, NULL, "sparse");
    check_int_vs_double(8, d2, e2, w2, "sparse, weighted");

    static const int32_t d3[] = {INT32_MAX,     INT32_MAX - 3, INT32_MAX - 1,
                                 INT32_MAX - 3, INT32_MAX - 2, INT32_MAX};
    static const uint8_t e3[] = {0, 1, 1, 0, 1, 1};
    static const double w3[] = {1.5, 0.2, 2.25, 0.8, 1.1, 0.6};
    check_int_vs_double(6, d3, e3, NULL, "dense near INT32_MAX");
    check_int_vs_double(6, d3, e3, w3, "dense near INT32_MAX, weighted");

    static const int32_t d4[] = {42};
    static const uint8_t e4[] = {1};
    check_int_vs_double(1, d4, e4, NULL, "one record");

    static const int32_t d5[] = {3, 3, 3, 3};
    static const uint8_t e5[] = {0, 1, 0, 1};
    check_int_vs_double(4, d5, e5, NULL, "all equal");

    /* {0, 1e9}: S = 1/2 at 0, flat to the end (R's rule: midpoint of 0 and
     * the last time) */
    libcs_km *km = NULL;
    ck_assert_ok(libcs_km_fit_int(2, d1, e1, NULL, 0.95, &km, NULL));
    double q = SENTINEL;
    ck_assert_ok(libcs_km_median(km, &q));
    ck_assert_close(q, 5e8, TOL);
    libcs_km_free(km);
}
END_TEST

/* A large random data set: durations 0..120 (months), about 30 % censored,
 * LIBCS_KM_BIG_N records (default 1 000 000; smaller under valgrind).
 * fit_int (counting) and fit (sorting) agree exactly; the counts agree with
 * a tally made here. */
static uint64_t rng_state;

static uint64_t rng_u64(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static size_t big_n(void)
{
    const char *s = getenv("LIBCS_KM_BIG_N");
    long v = s ? strtol(s, NULL, 10) : 0;
    return v > 0 ? (size_t)v : 1000000;
}

START_TEST(test_fit_int_large_random)
{
    const size_t n = big_n();
    int32_t *d = malloc(n * sizeof *d);
    uint8_t *e = malloc(n);
    double *w = malloc(n * sizeof *w);
    ck_assert(d && e && w);
    double ev[121] = {0}, ce[121] = {0};
    rng_state = 20240601;
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rng_u64();
        d[i] = (int32_t)(r % 121);
        e[i] = ((r >> 32) % 10) < 7;
        w[i] = 0.25 + (double)((r >> 40) % 16) / 8.0;
        (e[i] ? ev : ce)[d[i]] += 1.0;
    }
    check_int_vs_double(n, d, e, NULL, "large random");

    libcs_km *km = NULL;
    ck_assert_ok(libcs_km_fit_int(n, d, e, NULL, 0.95, &km, NULL));
    struct curve c = read_curve(km);
    size_t j = 0;
    double risk = (double)n;
    for (int r = 0; r <= 120; r++) {
        if (ev[r] + ce[r] == 0.0)
            continue;
        ck_assert(j < c.m);
        ck_assert(c.col[0][j] == r);
        ck_assert(c.col[1][j] == risk);
        ck_assert(c.col[2][j] == ev[r]);
        ck_assert(c.col[3][j] == ce[r]);
        risk -= ev[r] + ce[r];
        j++;
    }
    ck_assert_uint_eq(j, c.m);
    free_curve(&c);
    libcs_km_free(km);

    /* weights: a subset, to keep the sums' rounding small */
    size_t nw = n < 20000 ? n : 20000;
    check_int_vs_double(nw, d, e, w, "large random, weighted");
    free(d);
    free(e);
    free(w);
}
END_TEST

/* ==== errors =============================================================== */

static libcs_km *const KM_SENTINEL = (libcs_km *)&rng_state;

/* A fit call returns `code`, leaves *out at KM_SENTINEL and reports
 * `want_bad` through bad_index ((size_t)-1: untouched). */
#define ck_assert_fit_fails(call, code, want_bad)                              \
    do {                                                                       \
        out = KM_SENTINEL;                                                     \
        bad = (size_t)-1;                                                      \
        int frc_ = (call);                                                     \
        ck_assert_msg(frc_ == (code), "%s returned %d (%s), want %d (%s)",     \
                      #call, frc_, libcs_strerror(frc_), (int)(code),          \
                      libcs_strerror(code));                                   \
        ck_assert_msg(out == KM_SENTINEL, "%s wrote *out on error", #call);    \
        ck_assert_msg(bad == (size_t)(want_bad),                               \
                      "%s: bad_index %zu, want %zu", #call, bad,               \
                      (size_t)(want_bad));                                     \
    } while (0)

START_TEST(test_fit_errors)
{
    static const double t[4] = {1.0, 2.0, 3.0, 4.0};
    static const int32_t ti[4] = {1, 2, 3, 4};
    static const uint8_t e[4] = {1, 0, 1, 1};
    static const double w[4] = {1.0, 0.5, 2.0, 1.5};
    libcs_km *out;
    size_t bad;

    /* NULL arguments */
    ck_assert_fit_fails(libcs_km_fit(4, NULL, e, w, 0.95, &out, &bad),
                        LIBCS_EINVAL, -1);
    ck_assert_fit_fails(libcs_km_fit(4, t, NULL, w, 0.95, &out, &bad),
                        LIBCS_EINVAL, -1);
    ck_assert_int_eq(libcs_km_fit(4, t, e, w, 0.95, NULL, &bad),
                     LIBCS_EINVAL);
    ck_assert_fit_fails(libcs_km_fit_int(4, NULL, e, w, 0.95, &out, &bad),
                        LIBCS_EINVAL, -1);
    ck_assert_fit_fails(libcs_km_fit_int(4, ti, NULL, w, 0.95, &out, &bad),
                        LIBCS_EINVAL, -1);
    ck_assert_int_eq(libcs_km_fit_int(4, ti, e, w, 0.95, NULL, &bad),
                     LIBCS_EINVAL);
    /* n = 0 */
    ck_assert_fit_fails(libcs_km_fit(0, t, e, NULL, 0.95, &out, &bad),
                        LIBCS_EEMPTY, -1);
    ck_assert_fit_fails(libcs_km_fit_int(0, ti, e, NULL, 0.95, &out, &bad),
                        LIBCS_EEMPTY, -1);
    /* the level: not finite, or outside (0, 1) */
    static const double nonfinite[] = {NAN, INFINITY, -INFINITY};
    for (size_t j = 0; j < N_OF(nonfinite); j++) {
        ck_assert_fit_fails(
            libcs_km_fit(4, t, e, NULL, nonfinite[j], &out, &bad),
            LIBCS_ENONFINITE, -1);
        ck_assert_fit_fails(
            libcs_km_fit_int(4, ti, e, NULL, nonfinite[j], &out, &bad),
            LIBCS_ENONFINITE, -1);
    }
    static const double outside[] = {0.0, 1.0, -0.5, 1.5, -0.0};
    for (size_t j = 0; j < N_OF(outside); j++) {
        ck_assert_fit_fails(libcs_km_fit(4, t, e, NULL, outside[j], &out, &bad),
                            LIBCS_EDOMAIN, -1);
        ck_assert_fit_fails(
            libcs_km_fit_int(4, ti, e, NULL, outside[j], &out, &bad),
            LIBCS_EDOMAIN, -1);
    }
}
END_TEST

/* Bad records: the code and the index of the first bad one. */
START_TEST(test_fit_bad_records)
{
    libcs_km *out;
    size_t bad;
    double t[4] = {1.0, 2.0, 3.0, 4.0}, w[4] = {1.0, 0.5, 2.0, 1.5};
    int32_t ti[4] = {1, 2, 3, 4};
    uint8_t e[4] = {1, 0, 1, 1};

    /* non-finite durations */
    static const double nonfinite[] = {NAN, INFINITY, -INFINITY};
    for (size_t j = 0; j < N_OF(nonfinite); j++) {
        t[2] = nonfinite[j];
        ck_assert_fit_fails(libcs_km_fit(4, t, e, w, 0.95, &out, &bad),
                            LIBCS_ENONFINITE, 2);
        ck_assert_fit_fails(libcs_km_fit(4, t, e, w, 0.95, &out, NULL),
                            LIBCS_ENONFINITE, -1);
    }
    t[2] = 3.0;
    /* non-finite weights */
    for (size_t j = 0; j < N_OF(nonfinite); j++) {
        w[3] = nonfinite[j];
        ck_assert_fit_fails(libcs_km_fit(4, t, e, w, 0.95, &out, &bad),
                            LIBCS_ENONFINITE, 3);
        ck_assert_fit_fails(libcs_km_fit_int(4, ti, e, w, 0.95, &out, &bad),
                            LIBCS_ENONFINITE, 3);
    }
    w[3] = 1.5;
    /* negative durations */
    t[1] = -1.0;
    ck_assert_fit_fails(libcs_km_fit(4, t, e, w, 0.95, &out, &bad),
                        LIBCS_EDOMAIN, 1);
    t[1] = -DBL_MIN;
    ck_assert_fit_fails(libcs_km_fit(4, t, e, NULL, 0.95, &out, &bad),
                        LIBCS_EDOMAIN, 1);
    t[1] = 2.0;
    ti[1] = -1;
    ck_assert_fit_fails(libcs_km_fit_int(4, ti, e, w, 0.95, &out, &bad),
                        LIBCS_EDOMAIN, 1);
    ti[1] = INT32_MIN;
    ck_assert_fit_fails(libcs_km_fit_int(4, ti, e, NULL, 0.95, &out, &bad),
                        LIBCS_EDOMAIN, 1);
    ti[1] = 2;
    /* negative weights */
    w[0] = -0.5;
    ck_assert_fit_fails(libcs_km_fit(4, t, e, w, 0.95, &out, &bad),
                        LIBCS_EDOMAIN, 0);
    ck_assert_fit_fails(libcs_km_fit_int(4, ti, e, w, 0.95, &out, &bad),
                        LIBCS_EDOMAIN, 0);
    w[0] = 1.0;
    /* event flags other than 0 and 1 */
    static const uint8_t flags[] = {2, 255};
    for (size_t j = 0; j < N_OF(flags); j++) {
        e[3] = flags[j];
        ck_assert_fit_fails(libcs_km_fit(4, t, e, NULL, 0.95, &out, &bad),
                            LIBCS_EDOMAIN, 3);
        ck_assert_fit_fails(libcs_km_fit_int(4, ti, e, NULL, 0.95, &out, &bad),
                            LIBCS_EDOMAIN, 3);
    }
    e[3] = 1;
    /* the first bad record is the one reported */
    t[1] = NAN;
    t[3] = -2.0;
    ck_assert_fit_fails(libcs_km_fit(4, t, e, NULL, 0.95, &out, &bad),
                        LIBCS_ENONFINITE, 1);
    t[1] = -2.0;
    t[3] = NAN;
    ck_assert_fit_fails(libcs_km_fit(4, t, e, NULL, 0.95, &out, &bad),
                        LIBCS_EDOMAIN, 1);
    t[1] = 2.0;
    t[3] = 4.0;
    /* zero durations and weights are valid */
    t[0] = 0.0;
    w[0] = 0.0;
    out = NULL;
    ck_assert_ok(libcs_km_fit(4, t, e, w, 0.95, &out, &bad));
    libcs_km_free(out);
    /* but every weight 0 is an empty sample (before, a flat curve at
     * S = 1), whole-number durations (the counting pass and, far apart,
     * the sort) or not; a bad record is still reported first */
    static const double zero[4] = {0.0, 0.0, -0.0, 0.0};
    static const int32_t far[4] = {0, 2, 1000000000, 3};
    ck_assert_fit_fails(libcs_km_fit(4, t, e, zero, 0.95, &out, &bad),
                        LIBCS_EEMPTY, -1);
    ck_assert_fit_fails(libcs_km_fit_int(4, ti, e, zero, 0.95, &out, &bad),
                        LIBCS_EEMPTY, -1);
    ck_assert_fit_fails(libcs_km_fit_int(4, far, e, zero, 0.95, &out, &bad),
                        LIBCS_EEMPTY, -1);
    ck_assert_fit_fails(libcs_km_fit(1, t, e, zero, 0.95, &out, NULL),
                        LIBCS_EEMPTY, -1);
    t[3] = NAN;
    ck_assert_fit_fails(libcs_km_fit(4, t, e, zero, 0.95, &out, &bad),
                        LIBCS_ENONFINITE, 3);
    t[3] = 4.0;
    /* one weight above 0 is enough, even the smallest */
    const double tiny[4] = {0.0, 0.0, 4.9406564584124654e-324, 0.0};
    out = NULL;
    ck_assert_ok(libcs_km_fit(4, t, e, tiny, 0.95, &out, &bad));
    libcs_km_free(out);
    out = NULL;
    ck_assert_ok(libcs_km_fit_int(4, ti, e, tiny, 0.95, &out, &bad));
    libcs_km_free(out);
}
END_TEST

START_TEST(test_accessor_errors)
{
    libcs_km *km = NULL;
    ck_assert_ok(libcs_km_fit(N_OF(mp6_t), mp6_t, mp6_e, NULL, 0.95, &km,
                              NULL));
    double x;
    size_t m = 12345;

    ck_assert_int_eq(libcs_km_size(NULL, &m), LIBCS_EINVAL);
    ck_assert_uint_eq(m, 12345);
    ck_assert_int_eq(libcs_km_size(km, NULL), LIBCS_EINVAL);

    /* survival_at */
    ck_assert_fails(libcs_km_survival_at(NULL, 1.0, &x), LIBCS_EINVAL, x);
    ck_assert_int_eq(libcs_km_survival_at(km, 1.0, NULL), LIBCS_EINVAL);
    ck_assert_fails(libcs_km_survival_at(km, NAN, &x), LIBCS_ENONFINITE, x);
    ck_assert_fails(libcs_km_survival_at(km, INFINITY, &x), LIBCS_ENONFINITE,
                    x);

    /* quantile and median */
    ck_assert_fails(libcs_km_quantile(NULL, 0.5, &x), LIBCS_EINVAL, x);
    ck_assert_int_eq(libcs_km_quantile(km, 0.5, NULL), LIBCS_EINVAL);
    ck_assert_fails(libcs_km_median(NULL, &x), LIBCS_EINVAL, x);
    ck_assert_int_eq(libcs_km_median(km, NULL), LIBCS_EINVAL);
    ck_assert_fails(libcs_km_quantile(km, NAN, &x), LIBCS_ENONFINITE, x);
    ck_assert_fails(libcs_km_quantile(km, INFINITY, &x), LIBCS_ENONFINITE, x);
    ck_assert_fails(libcs_km_quantile(km, -INFINITY, &x), LIBCS_ENONFINITE,
                    x);
    static const double outside[] = {0.0, 1.0, -0.25, 1.25, -0.0};
    for (size_t j = 0; j < N_OF(outside); j++)
        ck_assert_fails(libcs_km_quantile(km, outside[j], &x), LIBCS_EDOMAIN,
                        x);
    /* R's median of the 6-MP arm is 23; its 0.75 quantile NA */
    ck_assert_fails(libcs_km_quantile(km, 0.75, &x), LIBCS_EUNDEFINED, x);

    /* rmst */
    ck_assert_fails(libcs_km_rmst(NULL, 10.0, &x), LIBCS_EINVAL, x);
    ck_assert_int_eq(libcs_km_rmst(km, 10.0, NULL), LIBCS_EINVAL);
    ck_assert_fails(libcs_km_rmst(km, NAN, &x), LIBCS_ENONFINITE, x);
    ck_assert_fails(libcs_km_rmst(km, INFINITY, &x), LIBCS_ENONFINITE, x);
    ck_assert_fails(libcs_km_rmst(km, -1.0, &x), LIBCS_EDOMAIN, x);
    ck_assert_fails(libcs_km_rmst(km, -DBL_MIN, &x), LIBCS_EDOMAIN, x);

    /* ltv */
    ck_assert_fails(libcs_km_ltv(NULL, 10.0, 12.0, &x), LIBCS_EINVAL, x);
    ck_assert_int_eq(libcs_km_ltv(km, 10.0, 12.0, NULL), LIBCS_EINVAL);
    ck_assert_fails(libcs_km_ltv(km, NAN, 12.0, &x), LIBCS_ENONFINITE, x);
    ck_assert_fails(libcs_km_ltv(km, INFINITY, 12.0, &x), LIBCS_ENONFINITE,
                    x);
    ck_assert_fails(libcs_km_ltv(km, 10.0, NAN, &x), LIBCS_ENONFINITE, x);
    ck_assert_fails(libcs_km_ltv(km, 10.0, -INFINITY, &x), LIBCS_ENONFINITE,
                    x);
    ck_assert_fails(libcs_km_ltv(km, -0.01, 12.0, &x), LIBCS_EDOMAIN, x);
    ck_assert_fails(libcs_km_ltv(km, 10.0, -1.0, &x), LIBCS_EDOMAIN, x);
    /* a result too large for a double */
    ck_assert_fails(libcs_km_ltv(km, DBL_MAX, 40.0, &x), LIBCS_EOVERFLOW, x);

    libcs_km_free(km);
    libcs_km_free(NULL); /* safe */
}
END_TEST

START_TEST(test_curve_errors)
{
    libcs_km *km = NULL;
    ck_assert_ok(libcs_km_fit(N_OF(amlm_t), amlm_t, amlm_e, NULL, 0.95, &km,
                              NULL));
    const size_t m = N_OF(amlm_time);
    double buf[8][N_OF(amlm_time) + 1];
    size_t needed;

    /* NULL curve */
    needed = 777;
    ck_assert_int_eq(libcs_km_curve(NULL, m, buf[0], NULL, NULL, NULL, NULL,
                                    NULL, NULL, NULL, &needed),
                     LIBCS_EINVAL);
    ck_assert_uint_eq(needed, 777);

    /* cap too small, for each output alone: EBUFSIZE, *needed = m, nothing
     * written */
    for (int a = 0; a < 8; a++) {
        double *p[8] = {NULL};
        for (int b = 0; b < 8; b++)
            for (size_t i = 0; i <= m; i++)
                buf[b][i] = SENTINEL;
        p[a] = buf[a];
        needed = 0;
        ck_assert_int_eq(libcs_km_curve(km, m - 1, p[0], p[1], p[2], p[3],
                                        p[4], p[5], p[6], p[7], &needed),
                         LIBCS_EBUFSIZE);
        ck_assert_uint_eq(needed, m);
        for (size_t i = 0; i <= m; i++)
            ck_assert(buf[a][i] == SENTINEL);
        ck_assert_int_eq(libcs_km_curve(km, 0, p[0], p[1], p[2], p[3], p[4],
                                        p[5], p[6], p[7], NULL),
                         LIBCS_EBUFSIZE);
        /* the right size: only that column is written, and nothing past m */
        ck_assert_ok(libcs_km_curve(km, m, p[0], p[1], p[2], p[3], p[4], p[5],
                                    p[6], p[7], &needed));
        const double *want[8] = {amlm_time,     amlm_n_risk, amlm_n_event,
                                 amlm_n_censor, amlm_surv,   amlm_std_err,
                                 amlm_lower,    amlm_upper};
        for (size_t i = 0; i < m; i++)
            ck_assert_close(buf[a][i], want[a][i], TOL);
        ck_assert(buf[a][m] == SENTINEL);
        for (int b = 0; b < 8; b++)
            if (b != a)
                ck_assert(buf[b][0] == SENTINEL);
    }
    /* a larger cap is fine */
    ck_assert_ok(libcs_km_curve(km, m + 1, buf[0], buf[1], buf[2], buf[3],
                                buf[4], buf[5], buf[6], buf[7], &needed));
    ck_assert_uint_eq(needed, m);
    /* no outputs at all: a size query, whatever cap */
    needed = 0;
    ck_assert_ok(libcs_km_curve(km, 0, NULL, NULL, NULL, NULL, NULL, NULL,
                                NULL, NULL, &needed));
    ck_assert_uint_eq(needed, m);
    ck_assert_ok(libcs_km_curve(km, 0, NULL, NULL, NULL, NULL, NULL, NULL,
                                NULL, NULL, NULL));
    libcs_km_free(km);
}
END_TEST

/* ==== the suite ============================================================ */

static Suite *km_suite(void)
{
    Suite *s = suite_create("km");
    TCase *tc = tcase_create("against R");
    tcase_add_loop_test(tc, test_curve_level_95, 0, NCASES);
    tcase_add_loop_test(tc, test_curve_level_90, 0, NCASES);
    tcase_add_loop_test(tc, test_level_changes_only_bounds, 0, NCASES);
    tcase_add_loop_test(tc, test_order_independent, 0, NCASES);
    tcase_add_loop_test(tc, test_quantiles, 0, NCASES);
    tcase_add_loop_test(tc, test_rmst_and_ltv, 0, NCASES);
    tcase_add_loop_test(tc, test_survival_at, 0, NCASES);
    tcase_add_test(tc, test_quantile_rounded_half);
    tcase_add_test(tc, test_time_to_value);
    suite_add_tcase(s, tc);

    tc = tcase_create("fit_int");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_fit_int_matches_fit_cases, 0, NCASES);
    tcase_add_test(tc, test_fit_int_sparse_and_edges);
    tcase_add_test(tc, test_fit_int_large_random);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_fit_errors);
    tcase_add_test(tc, test_fit_bad_records);
    tcase_add_test(tc, test_accessor_errors);
    tcase_add_test(tc, test_curve_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(km_suite());
}
