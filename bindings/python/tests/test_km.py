"""Kaplan-Meier retention curves: the curve, quantiles, RMST, survival at a
time and LTV against R's survival package (the values of tests/test_km.c,
computed with R 4.x and survival 3.5.3), fit_int against fit (chosen by the
durations' element type), the example of libcs_km_fit(3), every error path
with its argument and index, zero-copy inputs, pickling and the handle's life
cycle.

libcs's documented differences from R apply: where R's bounds are NA (S = 1
before the first event, S = 0 at the end) libcs gives lower = upper = S;
where R's std.err is Inf (once S has reached 0) libcs gives NaN."""

import array
import copy
import gc
import math
import pickle
import threading
import unittest

import libcs
from libcs import KaplanMeier, KmCurve
from _support import TestCase, numpy, requires_numpy, spy

NA = math.nan
INF = math.inf
TOL = 1e-10
COLUMNS = ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper")

# ---- the data sets of tests/test_km.c and R's results (see the R code there):
# mp6 = Freireich's 6-MP arm, amlm / amln = survival's aml data by group,
# wtd = non-integer weights (robust = FALSE), half = S exactly 0.5 on a flat
# stretch, zero = S drops to 0, ttv = time to value (real-valued durations).
# lower2, upper2: the bounds at level 0.9; q: quantile(f, qp) (NA = undefined);
# rmst: summary(f, rmean = tau); s_at: summary(f, times = at, extend = TRUE)$surv
CASES = {
    'mp6': dict(
        integral=True,
        t=[6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35],
        e=[1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
        w=None,
        time=[6, 7, 9, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 34, 35],
        n_risk=[21, 17, 16, 15, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 2, 1],
        n_event=[3, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0],
        n_censor=[1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 2, 1, 1],
        surv=[0.8571428571428571, 0.80672268907563016, 0.80672268907563016,
            0.75294117647058811, 0.75294117647058811, 0.69019607843137243,
            0.62745098039215674, 0.62745098039215674, 0.62745098039215674,
            0.62745098039215674, 0.53781512605042003, 0.44817927170868338,
            0.44817927170868338, 0.44817927170868338, 0.44817927170868338,
            0.44817927170868338],
        std_err=[0.089087080637474794, 0.10776353058777924, 0.10776353058777924,
            0.12796438288308193, 0.12796438288308193, 0.15475994592401993,
            0.18177334775294937, 0.18177334775294937, 0.18177334775294937,
            0.18177334775294937, 0.2384346320542351, 0.30030718788629052, 0.30030718788629052,
            0.30030718788629052, 0.30030718788629052, 0.30030718788629052],
        lower=[0.61971795526598394, 0.56314656462223334, 0.56314656462223334,
            0.50319951079995651, 0.50319951079995651, 0.43161022248618408,
            0.36751085598750205, 0.36751085598750205, 0.36751085598750205,
            0.36751085598750205, 0.26777893676713499, 0.18805200595923241,
            0.18805200595923241, 0.18805200595923241, 0.18805200595923241,
            0.18805200595923241],
        upper=[0.95155174764699701, 0.92280901920288039, 0.92280901920288039,
            0.88936183516926537, 0.88936183516926537, 0.84906596334945061,
            0.80491218947184118, 0.80491218947184118, 0.80491218947184118,
            0.80491218947184118, 0.7467907176353944, 0.68014262849524132, 0.68014262849524132,
            0.68014262849524132, 0.68014262849524132, 0.68014262849524132],
        lower2=[0.67110678059217288, 0.61247854398557933, 0.61247854398557933,
            0.55112338192788457, 0.55112338192788457, 0.47870030967424398,
            0.41261276800570501, 0.41261276800570501, 0.41261276800570501,
            0.41261276800570501, 0.31121408058184952, 0.22646208824501085,
            0.22646208824501085, 0.22646208824501085, 0.22646208824501085,
            0.22646208824501085],
        upper2=[0.94215940572012136, 0.91019783284668343, 0.91019783284668343,
            0.8735812432744231, 0.8735812432744231, 0.82976106501983171, 0.78239122444256559,
            0.78239122444256559, 0.78239122444256559, 0.78239122444256559,
            0.71923318722497243, 0.6481135841402933, 0.6481135841402933, 0.6481135841402933,
            0.6481135841402933, 0.6481135841402933],
        qp=[0.10000000000000001, 0.25, 0.29999999999999999, 0.5, 0.75],
        q=[6, 13, 13, 23, NA],
        tau=[4, 6, 8.5, 10, 23, 35, 40],
        rmst=[4, 6, 8.0672268907563023, 9.2773109243697469, 17.909243697478988,
            23.287394957983192, 25.528291316526609],
        at=[0, 5, 6, 6.5, 10, 21.899999999999999, 22, 35, 50],
        s_at=[1, 1, 0.8571428571428571, 0.8571428571428571, 0.75294117647058811,
            0.62745098039215674, 0.53781512605042003, 0.44817927170868338,
            0.44817927170868338],
    ),
    'amlm': dict(
        integral=True,
        t=[9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
        e=[1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0],
        w=None,
        time=[9, 13, 18, 23, 28, 31, 34, 45, 48, 161],
        n_risk=[11, 10, 8, 7, 6, 5, 4, 3, 2, 1],
        n_event=[1, 1, 1, 1, 0, 1, 1, 0, 1, 0],
        n_censor=[0, 1, 0, 0, 1, 0, 0, 1, 0, 1],
        surv=[0.90909090909090906, 0.81818181818181812, 0.71590909090909083,
            0.61363636363636354, 0.61363636363636354, 0.49090909090909085,
            0.36818181818181817, 0.36818181818181817, 0.18409090909090908,
            0.18409090909090908],
        std_err=[0.095346258924559224, 0.14213381090374028, 0.19508757792120712,
            0.2487341690815455, 0.2487341690815455, 0.33446776656157295, 0.44181672693778834,
            0.44181672693778834, 0.83378775488850887, 0.83378775488850887],
        lower=[0.50808020576992974, 0.44742861468218142, 0.35019038590793838,
            0.26575204000128611, 0.26575204000128611, 0.16733090977685081,
            0.092829574936985182, 0.092829574936985182, 0.011738480123189602,
            0.011738480123189602],
        upper=[0.98667382266782311, 0.95116222858249166, 0.8990239741910534,
            0.83529924325022142, 0.83529924325022142, 0.75339979037081128, 0.6570408323981638,
            0.6570408323981638, 0.52501484272664145, 0.52501484272664145],
        lower2=[0.6101574570968592, 0.52552354983949967, 0.41770409547698667,
            0.32345551089470465, 0.32345551089470465, 0.21403030291315769,
            0.12645997412406287, 0.12645997412406287, 0.022243397998711067,
            0.022243397998711067],
        upper2=[0.98178071255740007, 0.939327339190272, 0.87990444004801893,
            0.80953443637459876, 0.80953443637459876, 0.72009679156872664,
            0.61705041394141102, 0.61705041394141102, 0.47116618252922959,
            0.47116618252922959],
        qp=[0.25, 0.5, 0.75, 0.90000000000000002],
        q=[18, 31, 48, NA],
        tau=[5, 9, 20.5, 31, 100, 161, 200],
        rmst=[5, 9, 18.517045454545453, 25.21590909090909, 41.415909090909089,
            52.645454545454541, 59.824999999999996],
        at=[1, 9, 13, 17.5, 48, 160, 161, 300],
        s_at=[1, 0.90909090909090906, 0.81818181818181812, 0.81818181818181812,
            0.18409090909090908, 0.18409090909090908, 0.18409090909090908,
            0.18409090909090908],
    ),
    'amln': dict(
        integral=True,
        t=[5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
        e=[1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
        w=None,
        time=[5, 8, 12, 16, 23, 27, 30, 33, 43, 45],
        n_risk=[12, 10, 8, 7, 6, 5, 4, 3, 2, 1],
        n_event=[2, 2, 1, 0, 1, 1, 1, 1, 1, 1],
        n_censor=[0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
        surv=[0.83333333333333337, 0.66666666666666674, 0.58333333333333337,
            0.58333333333333337, 0.48611111111111116, 0.38888888888888895,
            0.29166666666666674, 0.19444444444444448, 0.097222222222222238, 0],
        std_err=[0.12909944487358055, 0.20412414523193151, 0.2439750182371333,
            0.2439750182371333, 0.30472470011002201, 0.3779644730092272, 0.47559486560567088,
            0.62678317052800869, 0.94491118252306805, INF],
        lower=[0.48171494219537886, 0.33701893254140197, 0.27013892408549733,
            0.27013892408549733, 0.19187661961872829, 0.12627201219539366,
            0.072401608907771836, 0.03119864293121194, 0.0057463056958638346, NA],
        upper=[0.95550936572806489, 0.85971179908443984, 0.80094019233338687,
            0.80094019233338687, 0.72967156977948544, 0.64981740828931511,
            0.56088605267140923, 0.46142947623811392, 0.34890386111074972, NA],
        lower2=[0.55747768856873925, 0.39531602419137729, 0.3214736302023905,
            0.3214736302023905, 0.23571444720132789, 0.16135465709025271,
            0.097798874872532873, 0.046262345005378472, 0.010668302903133029, NA],
        upper2=[0.94470047461022899, 0.83765918714989296, 0.77414316305682918,
            0.77414316305682918, 0.69765149408253435, 0.61323995321398039,
            0.52046942896970927, 0.41787861784627317, 0.30226747154378519, NA],
        qp=[0.25, 0.5, 0.75, 0.90000000000000002, 0.98999999999999999],
        q=[8, 23, 33, 43, 45],
        tau=[2, 5, 8, 10.5, 30, 45, 60],
        rmst=[2, 5, 7.5, 9.1666666666666679, 19.694444444444446, 22.708333333333336,
            22.708333333333336],
        at=[4.9900000000000002, 5, 8, 12, 29.5, 44, 45, 46],
        s_at=[1, 0.83333333333333337, 0.66666666666666674, 0.58333333333333337,
            0.38888888888888895, 0.097222222222222238, 0, 0],
    ),
    'wtd': dict(
        integral=True,
        t=[1, 2, 2, 3, 3, 3, 5, 6, 6, 8, 9, 11, 12, 12, 15],
        e=[1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0],
        w=[1.5, 0.25, 2, 0.75, 1.125, 0.40000000000000002, 3.2999999999999998,
            0.59999999999999998, 1, 0, 2.2000000000000002, 0.90000000000000002, 1.7,
            0.34999999999999998, 1.05],
        time=[1, 2, 3, 5, 6, 8, 9, 11, 12, 15],
        n_risk=[17.125, 15.624999999999998, 13.374999999999998, 11.099999999999998,
            7.7999999999999989, 6.1999999999999993, 6.1999999999999993, 3.9999999999999996,
            3.0999999999999996, 1.05],
        n_event=[1.5, 0.25, 1.875, 0, 1.6000000000000001, 0, 2.2000000000000002,
            0.90000000000000002, 0.34999999999999998, 0],
        n_censor=[0, 2, 0.40000000000000002, 3.2999999999999998, 0, 0, 0, 0, 1.7, 1.05],
        surv=[0.91240875912408759, 0.8978102189781022, 0.77194897332696633,
            0.77194897332696633, 0.61360046597784512, 0.61360046597784512,
            0.39587126837280329, 0.30680023298892256, 0.27216149700630227,
            0.27216149700630227],
        std_err=[0.074872153809399614, 0.081526007031881911, 0.1372466991279061,
            0.1372466991279061, 0.22786366712800651, 0.22786366712800651, 0.37500870418748661,
            0.46174903722440847, 0.50424983079098951, 0.50424983079098951],
        lower=[0.63481407257409361, 0.62210892231659298, 0.48105996055930789,
            0.48105996055930789, 0.29560682483493128, 0.29560682483493128,
            0.12895455788874854, 0.078742762996232632, 0.06196885508321618,
            0.06196885508321618],
        upper=[0.98167861694018688, 0.97581533149050148, 0.91251123992271821,
            0.91251123992271821, 0.82223115607580277, 0.82223115607580277,
            0.65755183320116251, 0.57735459535472622, 0.54392718874301094,
            0.54392718874301094],
        lower2=[0.70376972950732197, 0.68798086990137752, 0.53839381579493417,
            0.53839381579493417, 0.34920170277379226, 0.34920170277379226,
            0.16479327868796986, 0.10570603534560798, 0.085309982728591804,
            0.085309982728591804],
        upper2=[0.97636470450328527, 0.9694074546327246, 0.89744395523247267,
            0.89744395523247267, 0.79713471443493444, 0.79713471443493444,
            0.62110774472130181, 0.53725481432908606, 0.50257004809261596,
            0.50257004809261596],
        qp=[0.10000000000000001, 0.25, 0.5, 0.75],
        q=[2, 6, 9, NA],
        tau=[0.5, 1, 2.5, 6, 12, 15, 20],
        rmst=[0.5, 1, 2.3613138686131387, 5.1260658980830884, 8.0654100657511538,
            8.8818945567700602, 10.242702041801572],
        at=[0.5, 1, 2, 2.5, 8, 12, 14.99, 15, 16],
        s_at=[1, 0.91240875912408759, 0.8978102189781022, 0.8978102189781022,
            0.61360046597784512, 0.27216149700630227, 0.27216149700630227,
            0.27216149700630227, 0.27216149700630227],
    ),
    'half': dict(
        integral=True,
        t=[2, 2, 2, 2, 3, 4, 5, 9],
        e=[1, 1, 1, 1, 0, 0, 1, 0],
        w=None,
        time=[2, 3, 4, 5, 9],
        n_risk=[8, 4, 3, 2, 1],
        n_event=[4, 0, 0, 1, 0],
        n_censor=[0, 1, 1, 0, 1],
        surv=[0.5, 0.5, 0.5, 0.25, 0.25],
        std_err=[0.35355339059327379, 0.35355339059327379, 0.35355339059327379,
            0.79056941504209488, 0.79056941504209488],
        lower=[0.15203589029902395, 0.15203589029902395, 0.15203589029902395,
            0.014420423806139121, 0.014420423806139121],
        upper=[0.77486501206688874, 0.77486501206688874, 0.77486501206688874,
            0.63549392516033976, 0.63549392516033976],
        lower2=[0.20109809124909855, 0.20109809124909855, 0.20109809124909855,
            0.028959246108807086, 0.028959246108807086],
        upper2=[0.74115810762024148, 0.74115810762024148, 0.74115810762024148,
            0.58123578005696408, 0.58123578005696408],
        qp=[0.25, 0.40000000000000002, 0.5, 0.59999999999999998, 0.75, 0.80000000000000004],
        q=[2, 2, 3.5, 5, 7, NA],
        tau=[1, 2, 3.5, 5, 9, 12],
        rmst=[1, 2, 2.75, 3.5, 4.5, 5.25],
        at=[1, 2, 4, 5, 9, 10],
        s_at=[1, 0.5, 0.5, 0.25, 0.25, 0.25],
    ),
    'zero': dict(
        integral=True,
        t=[1, 3, 3, 4, 6, 6, 7, 8, 8],
        e=[1, 1, 0, 1, 1, 0, 1, 1, 1],
        w=None,
        time=[1, 3, 4, 6, 7, 8],
        n_risk=[9, 8, 6, 5, 3, 2],
        n_event=[1, 1, 1, 1, 1, 2],
        n_censor=[0, 1, 0, 1, 0, 0],
        surv=[0.88888888888888884, 0.77777777777777768, 0.64814814814814814,
            0.51851851851851849, 0.34567901234567899, 0],
        std_err=[0.11785113019775792, 0.17817416127494959, 0.25510657592340708,
            0.33923349639940492, 0.53079754308590366, INF],
        lower=[0.43296509022580565, 0.36475123116547392, 0.25317459438599577,
            0.16406665034581661, 0.059098019209992657, NA],
        upper=[0.983564028525579, 0.93929644248660171, 0.87206762779799019,
            0.78768893349845381, 0.67104547907516854, NA],
        lower2=[0.54295640262988798, 0.44636330970050808, 0.3194239439065652,
            0.21524180422183187, 0.089235987048019355, NA],
        upper2=[0.97754072847636497, 0.92468648091731431, 0.84808970923419713,
            0.7551535617513162, 0.62691335291903449, NA],
        qp=[0.25, 0.5, 0.75, 0.90000000000000002, 0.98999999999999999],
        q=[4, 7, 8, 8, 8],
        tau=[0.5, 1, 4.5, 7, 8, 10],
        rmst=[0.5, 1, 3.8796296296296293, 5.3703703703703702, 5.716049382716049,
            5.716049382716049],
        at=[0.5, 3, 7.5, 8, 9],
        s_at=[1, 0.77777777777777768, 0.34567901234567899, 0, 0],
    ),
    'ttv': dict(
        integral=False,
        t=[1.5, 2, 2, 3, 3.5, 4, 4, 5.25, 6, 7, 9, 10, 12, 14, 21, 21],
        e=[1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
        w=None,
        time=[1.5, 2, 3, 3.5, 4, 5.25, 6, 7, 9, 10, 12, 14, 21],
        n_risk=[16, 15, 13, 12, 11, 9, 8, 7, 6, 5, 4, 3, 2],
        n_event=[1, 2, 0, 1, 2, 1, 0, 1, 1, 0, 1, 1, 0],
        n_censor=[0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 2],
        surv=[0.9375, 0.8125, 0.8125, 0.74479166666666663, 0.609375, 0.54166666666666663,
            0.54166666666666663, 0.46428571428571425, 0.38690476190476186,
            0.38690476190476186, 0.2901785714285714, 0.19345238095238093, 0.19345238095238093],
        std_err=[0.064549722436790274, 0.12009611535381536, 0.12009611535381536,
            0.14832004078624877, 0.20542846614053931, 0.23683273335783547,
            0.23683273335783547, 0.28266458462153937, 0.33650052114759155,
            0.33650052114759155, 0.44335756908609786, 0.60268781365861435,
            0.60268781365861435],
        lower=[0.63234544173890384, 0.52460431082664949, 0.52460431082664949,
            0.45371710040742191, 0.32737852711709092, 0.2705779320959576, 0.2705779320959576,
            0.20606951467290008, 0.14929661363651237, 0.14929661363651237,
            0.082303051497209803, 0.034329305193715152, 0.034329305193715152],
        upper=[0.99095314174466642, 0.93535225796582944, 0.93535225796582944,
            0.89596098390615664, 0.80274671193169045, 0.75009152179792349,
            0.75009152179792349, 0.68887828691656761, 0.62243095010015059,
            0.62243095010015059, 0.54173724522041045, 0.44917746337060288,
            0.44917746337060288],
        lower2=[0.71575221905523767, 0.58413233906297335, 0.58413233906297335,
            0.50948029650917015, 0.37537100185387223, 0.31430762943972579,
            0.31430762943972579, 0.2450197679584844, 0.18252272152817117, 0.18252272152817117,
            0.10745381771217138, 0.049606163260211972, 0.049606163260211972],
        upper2=[0.98762222999501448, 0.92293798487755008, 0.92293798487755008,
            0.87920067001571667, 0.77849624597599054, 0.72268493839218695,
            0.72268493839218695, 0.65798858348600009, 0.58852565734706297,
            0.58852565734706297, 0.50346153752480405, 0.40721100796177756,
            0.40721100796177756],
        qp=[0.10000000000000001, 0.25, 0.5, 0.75, 0.80000000000000004, 0.90000000000000002],
        q=[2, 3.5, 7, 14, 14, NA],
        tau=[1, 3.5, 7, 30],
        rmst=[1, 3.1875, 5.26953125, 11.034412202380953],
        at=[1, 4, 10, 21],
        s_at=[1, 0.609375, 0.38690476190476186, 0.19345238095238093],
    ),
}


def close(got, want, tol=TOL):
    return math.isfinite(got) and abs(got - want) <= tol * max(1.0, abs(want))


def same_bits(a, b):
    return len(a) == len(b) and all(x == y or (math.isnan(x) and math.isnan(y))
                                    for x, y in zip(a, b))


def fit(case, level=0.95, **kw):
    k = CASES[case]
    return KaplanMeier.fit(k["t"], k["e"], k["w"], level, **kw)


class AgainstR(TestCase):
    def check_curve(self, km, case, second=False):
        k = CASES[case]
        c = km.curve
        self.assertIsInstance(c, KmCurve)
        self.assertEqual(len(km), len(k["time"]), case)
        got = [c.time, c.n_risk, c.n_event, c.n_censor, c.survival, c.std_err, c.lower, c.upper]
        want = [k[name] for name in COLUMNS]
        if second:
            want[6], want[7] = k["lower2"], k["upper2"]
        for a, name in enumerate(COLUMNS):
            self.assertEqual(len(got[a]), len(k["time"]))
            for i, (g, w) in enumerate(zip(got[a], want[a])):
                where = "%s (level %s): %s[%d] = %r, R %r" % (case, 0.9 if second else 0.95,
                                                               name, i, g, w)
                if name == "std_err" and math.isinf(w):
                    self.assertTrue(math.isnan(g), where)  # R: Inf; libcs: NaN
                elif name in ("lower", "upper") and math.isnan(w):
                    s = c.survival[i]  # R: NA where S is 0 or 1; libcs: the point S
                    self.assertIn(s, (0.0, 1.0), where)
                    self.assertEqual(g, s, where)
                else:
                    self.assertTrue(close(g, w), where)
        for i in range(len(c.time)):
            self.assertTrue(c.lower[i] <= c.survival[i] <= c.upper[i])
            if i:
                self.assertLessEqual(c.survival[i], c.survival[i - 1])
                self.assertGreater(c.time[i], c.time[i - 1])

    def test_curves_level_95_and_90(self):
        for case in CASES:
            with self.subTest(case=case):
                with fit(case) as km:
                    self.check_curve(km, case)
                    self.assertEqual(km.level, 0.95)
                with fit(case, level=0.9) as km:
                    self.check_curve(km, case, second=True)

    def test_quantiles(self):
        for case, k in CASES.items():
            km = fit(case)
            for p, q in zip(k["qp"], k["q"]):
                with self.subTest(case=case, p=p):
                    if math.isnan(q):
                        err = self.assertLibcsError(libcs.UndefinedResultError, km.quantile, p,
                                                    argument="p")
                        self.assertEqual(err.value, p)
                    else:
                        self.assertTrue(close(km.quantile(p), q), (case, p, km.quantile(p), q))
                    if p == 0.5:
                        if math.isnan(q):
                            self.assertLibcsError(libcs.UndefinedResultError, km.median)
                        else:
                            self.assertEqual(km.median(), km.quantile(0.5))

    def test_rmst_and_ltv(self):
        for case, k in CASES.items():
            km = fit(case)
            for tau, want in zip(k["tau"], k["rmst"]):
                with self.subTest(case=case, tau=tau):
                    self.assertTrue(close(km.rmst(tau), want), (case, tau, km.rmst(tau), want))
                    self.assertTrue(close(km.ltv(80.0, tau), 80.0 * km.rmst(tau)))
                    self.assertEqual(km.ltv(0, tau), 0.0)
                    self.assertEqual(km.ltv(margin_per_period=1.0, tau=tau), km.rmst(tau))

    def test_survival_at(self):
        for case, k in CASES.items():
            km = fit(case)
            for t, want in zip(k["at"], k["s_at"]):
                with self.subTest(case=case, t=t):
                    self.assertTrue(close(km.survival_at(t), want))
            self.assertEqual(km.survival_at(-5), 1.0)  # before the first time

    def test_order_independent(self):
        for case, k in CASES.items():
            order = sorted(range(len(k["t"])), key=lambda i: (-k["t"][i], i % 3))
            w = None if k["w"] is None else [k["w"][i] for i in order]
            km = KaplanMeier.fit([k["t"][i] for i in order], [k["e"][i] for i in order], w)
            c, want = km.curve, fit(case).curve
            self.assertEqual(list(c.time), list(want.time))
            for a in range(8):
                for g, x in zip(c[a], want[a]):
                    self.assertTrue((math.isnan(g) and math.isnan(x)) or close(g, x, 1e-12))

    def test_man_page_example(self):
        """libcs_km_fit(3): twelve customers followed for a year, then four
        fitted with whole days."""
        months = [1, 2, 3, 3, 3, 5, 6, 6, 8, 10, 12, 12]
        churned = bytes([1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0])
        km = KaplanMeier.fit(months, churned, None, 0.95)
        rows = ["%4.0f %4.0f %5.0f %6.0f %6.4f %7.4f %6.4f %6.4f" % row for row in zip(*km.curve)]
        self.assertEqual(rows, [
            "   1   12     1      0 0.9167  0.0870 0.5390 0.9878",
            "   2   11     1      0 0.8333  0.1291 0.4817 0.9555",
            "   3   10     2      1 0.6667  0.2041 0.3370 0.8597",
            "   5    7     1      0 0.5714  0.2559 0.2538 0.7958",
            "   6    6     1      1 0.4762  0.3143 0.1823 0.7237",
            "   8    4     1      0 0.3571  0.4268 0.0983 0.6332",
            "  10    3     0      1 0.3571  0.4268 0.0983 0.6332",
            "  12    2     0      2 0.3571  0.4268 0.0983 0.6332"])
        self.assertEqual((km.quantile(0.25), km.median()), (3.0, 6.0))
        self.assertLibcsError(libcs.UndefinedResultError, km.quantile, 0.75)
        self.assertEqual("%.4f" % km.survival_at(4), "0.6667")
        self.assertEqual("%.4f %.2f" % (km.rmst(12), km.ltv(80, 12)), "7.0357 562.86")
        km4 = KaplanMeier.fit(array.array("i", [30, 60, 90, 120]), [1, 1, 1, 1])
        self.assertTrue(km4.integer)
        c = km4.curve
        self.assertEqual(km4.median(), 75.0)
        self.assertEqual((c.survival[3], c.lower[3], c.upper[3]), (0.0, 0.0, 0.0))
        self.assertTrue(math.isnan(c.std_err[3]))

    def test_quantile_rounded_half(self):
        km = KaplanMeier.fit(range(1, 25), [1] * 12 + [0] * 12)
        self.assertTrue(close(km.median(), 18.0))
        self.assertTrue(close(km.quantile(0.5 - 1e-12), 18.0))
        self.assertTrue(close(km.quantile(0.5 + 1e-12), 18.0))
        self.assertLibcsError(libcs.UndefinedResultError, km.quantile, 0.5 + 1e-6)

    def test_time_to_value(self):
        k = CASES["ttv"]
        km = KaplanMeier.fit(array.array("d", k["t"]), bytes(k["e"]))
        self.assertFalse(km.integer)
        self.assertTrue(close(km.median(), 7.0))
        self.assertTrue(close(km.quantile(0.25), 3.5))
        self.assertTrue(close(km.quantile(0.75), 14.0))
        self.assertTrue(close(km.quantile(0.1), 2.0))
        self.assertLibcsError(libcs.UndefinedResultError, km.quantile, 0.9)
        self.assertTrue(close(km.survival_at(4.0), 0.609375))
        self.assertTrue(close(km.survival_at(10.0), 0.38690476190476186))


class FitInt(TestCase):
    def test_int_buffers_choose_fit_int_bit_identical(self):
        for case, k in CASES.items():
            if not k["integral"]:
                continue
            with self.subTest(case=case):
                ints = array.array("i", [int(t) for t in k["t"]])
                with spy("libcs_km_fit_int") as int_calls, spy("libcs_km_fit") as calls:
                    by_int = KaplanMeier.fit(ints, k["e"], k["w"])
                    by_double = KaplanMeier.fit(array.array("d", k["t"]), k["e"], k["w"])
                    by_list = KaplanMeier.fit(k["t"], k["e"], k["w"])
                    forced = KaplanMeier.fit([int(t) for t in k["t"]], k["e"], k["w"],
                                             integer=True)
                self.assertEqual((len(int_calls), len(calls)), (2, 2))
                self.assertEqual(int_calls[0][1], ints.buffer_info()[0])  # in place
                self.assertEqual((by_int.integer, by_double.integer, by_list.integer,
                                  forced.integer), (True, False, False, True))
                for other in (by_double, by_list, forced):
                    for a in range(8):
                        self.assertTrue(same_bits(by_int.curve[a], other.curve[a]))

    def test_sparse_and_edges(self):
        cases = [
            ([0, 1000000000], [1, 0], None),
            ([5000, 0, 2**31 - 1, 5000, 7, 1000000000, 5000, 2**31 - 1],
             [1, 0, 1, 0, 1, 1, 1, 0], [0.5, 1.25, 2.0, 0.75, 3.5, 0.125, 1.0, 0.3]),
            ([2**31 - 1, 2**31 - 4, 2**31 - 2, 2**31 - 4, 2**31 - 3, 2**31 - 1],
             [0, 1, 1, 0, 1, 1], [1.5, 0.2, 2.25, 0.8, 1.1, 0.6]),
            ([42], [1], None),
            ([3, 3, 3, 3], [0, 1, 0, 1], None),
        ]
        for d, e, w in cases:
            for weights in (None, w):
                a = KaplanMeier.fit(array.array("i", d), e, weights)
                b = KaplanMeier.fit(array.array("d", d), e, weights)
                for col in range(8):
                    self.assertTrue(same_bits(a.curve[col], b.curve[col]), (d, col))
        km = KaplanMeier.fit(array.array("i", [0, 1000000000]), [1, 0])
        self.assertTrue(close(km.median(), 5e8))

    def test_explicit_choice(self):
        with self.assertRaises(TypeError):  # 1.5 is not a whole number
            KaplanMeier.fit([1.5, 2], [1, 0], integer=True)
        with self.assertRaises(TypeError):  # an int32 buffer is not float64
            KaplanMeier.fit(array.array("i", [1, 2]), [1, 0], integer=False)
        with self.assertRaises(TypeError):  # int64: neither; the message says both
            KaplanMeier.fit(array.array("q", [1, 2]), [1, 0])
        try:
            KaplanMeier.fit(array.array("q", [1, 2]), [1, 0])
        except TypeError as exc:
            self.assertIn("int32_t", str(exc))
            self.assertIn("double", str(exc))
        err = self.assertLibcsError(libcs.DomainError, KaplanMeier.fit, [1, 2**31], [1, 0],
                                    integer=True, argument="durations", index=1)
        self.assertEqual(err.value, 2**31)


class Errors(TestCase):
    T, E, W = [1.0, 2.0, 3.0, 4.0], [1, 0, 1, 1], [1.0, 0.5, 2.0, 1.5]

    def test_empty_and_level(self):
        self.assertLibcsError(libcs.EmptyInputError, KaplanMeier.fit, [], [])
        self.assertLibcsError(libcs.EmptyInputError, KaplanMeier.fit, array.array("i"), b"")
        for level in (math.nan, math.inf, -math.inf):
            err = self.assertLibcsError(libcs.NonFiniteError, KaplanMeier.fit, self.T, self.E,
                                        level=level, argument="level")
            self.assertIsNone(err.index)
        for level in (0.0, 1.0, -0.5, 1.5, -0.0):
            for t in (self.T, array.array("i", [1, 2, 3, 4])):
                self.assertLibcsError(libcs.DomainError, KaplanMeier.fit, t, self.E, None, level,
                                      argument="level")
        with self.assertRaises(TypeError):
            KaplanMeier.fit(self.T, self.E, level="0.95")

    def test_bad_records(self):
        for bad in (math.nan, math.inf, -math.inf):
            t = list(self.T)
            t[2] = bad
            err = self.assertLibcsError(libcs.NonFiniteError, KaplanMeier.fit, t, self.E, self.W,
                                        argument="durations", index=2)
            self.assertTrue(err.value != err.value or math.isinf(err.value))
            w = list(self.W)
            w[3] = bad
            self.assertLibcsError(libcs.NonFiniteError, KaplanMeier.fit, self.T, self.E, w,
                                  argument="weights", index=3)
            self.assertLibcsError(libcs.NonFiniteError, KaplanMeier.fit, [1, 2, 3, 4], self.E, w,
                                  integer=True, argument="weights", index=3)
        for t in ([1, -1.0, 3, 4], [1, -5e-324, 3, 4]):
            self.assertLibcsError(libcs.DomainError, KaplanMeier.fit, t, self.E,
                                  argument="durations", index=1)
        for t in ([1, -1, 3, 4], [1, -2**31, 3, 4]):
            err = self.assertLibcsError(libcs.DomainError, KaplanMeier.fit, array.array("i", t),
                                        self.E, argument="durations", index=1)
            self.assertEqual(err.value, t[1])
        self.assertLibcsError(libcs.DomainError, KaplanMeier.fit, self.T, self.E,
                              [-0.5, 1, 1, 1], argument="weights", index=0)
        for flag in (2, 255):
            err = self.assertLibcsError(libcs.DomainError, KaplanMeier.fit, self.T, [1, 0, 1, flag],
                                        argument="events", index=3)
            self.assertEqual(err.value, flag)
            self.assertIn("events[3] = %d" % flag, str(err))
        # the first bad record is the one reported, whatever its kind
        self.assertLibcsError(libcs.NonFiniteError, KaplanMeier.fit, [1, NA, 3, -2], self.E,
                              argument="durations", index=1)
        self.assertLibcsError(libcs.DomainError, KaplanMeier.fit, [1, -2, 3, NA], self.E,
                              argument="durations", index=1)
        # zero durations and weights are valid
        km = KaplanMeier.fit([0.0, 2, 3, 4], self.E, [0.0, 0.5, 2, 1.5])
        self.assertEqual(len(km), 4)
        # but every weight 0 is an empty sample
        for t in (self.T, array.array("i", [1, 2, 3, 4])):
            err = self.assertLibcsError(libcs.EmptyInputError, KaplanMeier.fit, t, self.E,
                                        [0.0, 0.0, -0.0, 0.0], argument="weights")
            self.assertIsNone(err.index)
            self.assertIn("every weight is 0", str(err))

    def test_types_and_lengths(self):
        with self.assertRaises(ValueError):
            KaplanMeier.fit(self.T, [1, 0, 1])
        with self.assertRaises(ValueError):
            KaplanMeier.fit(self.T, self.E, [1.0, 1.0])
        with self.assertRaises(TypeError):
            KaplanMeier.fit(self.T, [1, 0, 1, 0.5])  # events are 0 or 1
        with self.assertRaises(TypeError):
            KaplanMeier.fit(self.T, array.array("i", [1, 0, 1, 0]))  # events are uint8
        with self.assertRaises(TypeError):
            KaplanMeier.fit(self.T, self.E, array.array("f", [1, 1, 1, 1]))  # float32 weights
        with self.assertRaises(TypeError):
            KaplanMeier.fit("1234", self.E)
        with self.assertRaises(TypeError):
            KaplanMeier.fit([1, None, 3, 4], self.E)
        with self.assertRaises(TypeError):
            KaplanMeier.fit(self.T, None)
        self.assertLibcsError(libcs.DomainError, KaplanMeier.fit, self.T, [1, 0, 1, -1],
                              argument="events", index=3)  # -1 does not fit uint8

    def test_reading_errors(self):
        k = CASES["mp6"]
        km = KaplanMeier.fit(k["t"], k["e"])
        for t in (NA, INF):
            self.assertLibcsError(libcs.NonFiniteError, km.survival_at, t, argument="t")
        for p in (NA, INF, -INF):
            self.assertLibcsError(libcs.NonFiniteError, km.quantile, p, argument="p")
        for p in (0.0, 1.0, -0.25, 1.25, -0.0):
            self.assertLibcsError(libcs.DomainError, km.quantile, p, argument="p")
        err = self.assertLibcsError(libcs.UndefinedResultError, km.quantile, 0.75, argument="p")
        self.assertIn("never gets down to 1 - p = 0.25", str(err))
        self.assertEqual(km.median(), 23.0)
        for tau in (NA, INF):
            self.assertLibcsError(libcs.NonFiniteError, km.rmst, tau, argument="tau")
        for tau in (-1.0, -5e-324):
            self.assertLibcsError(libcs.DomainError, km.rmst, tau, argument="tau")
        self.assertLibcsError(libcs.NonFiniteError, km.ltv, NA, 12.0, argument="margin_per_period")
        self.assertLibcsError(libcs.NonFiniteError, km.ltv, INF, 12.0, argument="margin_per_period")
        self.assertLibcsError(libcs.NonFiniteError, km.ltv, 10.0, NA, argument="tau")
        self.assertLibcsError(libcs.NonFiniteError, km.ltv, 10.0, -INF, argument="tau")
        self.assertLibcsError(libcs.DomainError, km.ltv, -0.01, 12.0, argument="margin_per_period")
        self.assertLibcsError(libcs.DomainError, km.ltv, 10.0, -1.0, argument="tau")
        self.assertLibcsError(libcs.NumericOverflowError, km.ltv, 1.7976931348623157e308, 40.0)
        with self.assertRaises(TypeError):
            km.quantile(None)
        with self.assertRaises(TypeError):
            km.rmst("12")

    def test_median_never_reached(self):
        km = KaplanMeier.fit([1, 2, 3, 4], [1, 0, 0, 0])
        err = self.assertLibcsError(libcs.UndefinedResultError, km.median)
        self.assertEqual(err.function, "KaplanMeier.median")
        self.assertIsInstance(err, ArithmeticError)


class Inputs(TestCase):
    def test_zero_copy(self):
        d = array.array("d", [float(i % 17) for i in range(10000)])
        e = bytes(i % 2 for i in range(10000))
        w = array.array("d", [1.0]) * 10000
        with spy("libcs_km_fit") as calls:
            km = KaplanMeier.fit(d, e, w)
        self.assertEqual(len(calls), 1)
        n, d_addr, e_addr, w_addr = calls[0][:4]
        self.assertEqual((n, d_addr, w_addr), (10000, d.buffer_info()[0], w.buffer_info()[0]))
        self.assertEqual(len(km), 17)
        d.append(1.0)  # the exports were released
        # memoryview slices are read in place too
        with spy("libcs_km_fit_int") as calls:
            ints = array.array("i", range(100))
            KaplanMeier.fit(memoryview(ints)[10:], bytearray(90))
        self.assertEqual(calls[0][1], ints.buffer_info()[0] + 10 * ints.itemsize)

    def test_events_as_bools_and_iterables(self):
        want = KaplanMeier.fit([1, 2, 3], [1, 0, 1]).curve
        for events in ([True, False, True], (1, 0, 1), bytes([1, 0, 1]), bytearray([1, 0, 1]),
                       array.array("B", [1, 0, 1]), iter([1, 0, 1])):
            got = KaplanMeier.fit((x for x in (1, 2, 3)), events).curve
            self.assertTrue(all(same_bits(g, w) for g, w in zip(got, want)), events)

    def test_curve_arrays(self):
        km = KaplanMeier.fit([3, 1, 2], [1, 1, 0])
        c = km.curve
        self.assertTrue(all(isinstance(col, array.array) and col.typecode == "d" for col in c))
        self.assertEqual(c._fields, ("time", "n_risk", "n_event", "n_censor", "survival",
                                     "std_err", "lower", "upper"))
        c.time[0] = 99.0  # a fresh copy: the curve is not changed
        self.assertEqual(km.curve.time[0], 1.0)

    def test_single_customer(self):
        km = KaplanMeier.fit([5], [0])
        self.assertEqual(len(km), 1)
        self.assertEqual(list(km.curve.survival), [1.0])
        self.assertLibcsError(libcs.UndefinedResultError, km.median)
        self.assertEqual(km.rmst(10), 10.0)


@requires_numpy
class Numpy(TestCase):
    def test_int32_chooses_fit_int(self):
        k = CASES["amlm"]
        d = numpy.array(k["t"], dtype=numpy.int32)
        e = numpy.array(k["e"], dtype=numpy.uint8)
        with spy("libcs_km_fit_int") as calls:
            km = KaplanMeier.fit(d, e)
        self.assertEqual((calls[0][1], calls[0][2]), (d.ctypes.data, e.ctypes.data))
        self.assertTrue(km.integer)
        c = km.curve
        self.assertIsInstance(c.survival, numpy.ndarray)
        self.assertEqual(c.survival.dtype, numpy.float64)
        self.assertTrue(numpy.allclose(c.survival, k["surv"], rtol=0, atol=TOL))
        same = KaplanMeier.fit(d.astype(numpy.float64), e).curve
        for a in range(8):
            self.assertTrue(numpy.array_equal(c[a], same[a], equal_nan=True))

    def test_bool_events_and_strided(self):
        k = CASES["mp6"]
        d = numpy.array(k["t"], dtype=numpy.float64)
        e = numpy.array(k["e"], dtype=bool)
        with spy("libcs_km_fit") as calls:
            km = KaplanMeier.fit(d, e)
        self.assertEqual(calls[0][2], e.ctypes.data)  # bool memory read as bytes, in place
        self.assertEqual(km.median(), 23.0)
        wide = numpy.zeros(2 * len(k["e"]), dtype=bool)
        wide[::2] = e
        self.assertEqual(KaplanMeier.fit(d, wide[::2]).median(), 23.0)

    def test_wrong_dtypes(self):
        with self.assertRaises(TypeError):
            KaplanMeier.fit(numpy.array([1, 2, 3]), [1, 0, 1])  # int64
        with self.assertRaises(TypeError):
            KaplanMeier.fit(numpy.array([1, 2, 3], dtype=numpy.float32), [1, 0, 1])
        with self.assertRaises(TypeError):
            KaplanMeier.fit([1, 2, 3], numpy.array([1, 0, 1]))  # int64 events
        self.assertLibcsError(libcs.NonFiniteError, KaplanMeier.fit,
                              numpy.array([1.0, numpy.nan]), numpy.ones(2, dtype=numpy.uint8),
                              argument="durations", index=1)


class Lifecycle(TestCase):
    def test_pickle_and_copy_are_bit_identical(self):
        for case in ("wtd", "amln", "ttv", "half"):
            km = fit(case, level=0.9)
            for proto in range(pickle.HIGHEST_PROTOCOL + 1):
                back = pickle.loads(pickle.dumps(km, proto))
                self.assertIsInstance(back, KaplanMeier)
                self.assertEqual((back.level, back.integer, len(back)),
                                 (km.level, km.integer, len(km)))
                for a in range(8):
                    self.assertTrue(same_bits(back.curve[a], km.curve[a]), (case, a))
            for other in (copy.copy(km), copy.deepcopy(km), km.copy()):
                self.assertIsNot(other, km)
                self.assertTrue(same_bits(other.curve.upper, km.curve.upper))
        km = KaplanMeier.fit(array.array("i", [30, 60, 90, 120]), [1, 1, 1, 1])
        self.assertTrue(pickle.loads(pickle.dumps(km)).integer)

    def test_with_close_and_repr(self):
        with KaplanMeier.fit([1, 2], [1, 0]) as km:
            self.assertEqual(repr(km), "<KaplanMeier: 2 distinct times, level 0.95>")
        self.assertTrue(km.closed)
        self.assertEqual(repr(km), "<KaplanMeier (closed)>")
        km.close()  # idempotent
        for call in (lambda: len(km), lambda: km.curve, lambda: km.median(),
                     lambda: km.survival_at(1), lambda: km.rmst(1)):
            with self.assertRaises(ValueError):
                call()
        self.assertIn("whole-number durations",
                      repr(KaplanMeier(array.array("i", [1]), [1], level=0.9)))

    def test_gc_frees_and_results_survive(self):
        class Holder:
            pass
        h = Holder()
        h.km = KaplanMeier.fit(range(1000), [i % 2 for i in range(1000)])
        h.self = h
        fin = h.km._finalizer
        curve = h.km.curve
        del h
        gc.collect()
        self.assertFalse(fin.alive)
        self.assertEqual(len(curve.time), 1000)
        self.assertEqual(curve.n_risk[0], 1000.0)

    def test_threads_read_one_curve(self):
        km = KaplanMeier.fit([i % 50 for i in range(5000)], [i % 3 == 0 for i in range(5000)])
        want = (km.median(), km.rmst(40), list(km.curve.survival))
        got = []

        def work():
            for _ in range(20):
                got.append((km.median(), km.rmst(40), list(km.curve.survival)))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertEqual(len(got), 80)
        self.assertTrue(all(g == want for g in got))


if __name__ == "__main__":
    unittest.main()
